/**
 * Constant-velocity Kalman filter for one coordinate. The tracker runs one per axis of the box centre:
 * it predicts where to search next, and carries the box through frames where the appearance match is
 * too weak to trust (occlusion, heavy blur).
 */
export class ConstantVelocityKalman {
  position: number;
  velocity = 0;
  // Covariance [[p00, p01], [p01, p11]].
  private p00: number;
  private p01 = 0;
  private p11: number;

  constructor(
    position: number,
    private readonly processNoise: number,
    private readonly measurementNoise: number,
  ) {
    this.position = position;
    this.p00 = measurementNoise;
    this.p11 = processNoise * 100;
  }

  predict(): number {
    this.position += this.velocity;
    const q = this.processNoise;
    // P = F P F' + Q with F = [[1, 1], [0, 1]] and a white-acceleration Q.
    const p00 = this.p00 + 2 * this.p01 + this.p11 + q / 4;
    const p01 = this.p01 + this.p11 + q / 2;
    const p11 = this.p11 + q;
    this.p00 = p00;
    this.p01 = p01;
    this.p11 = p11;
    return this.position;
  }

  update(measurement: number): void {
    const s = this.p00 + this.measurementNoise;
    const k0 = this.p00 / s;
    const k1 = this.p01 / s;
    const innovation = measurement - this.position;
    this.position += k0 * innovation;
    this.velocity += k1 * innovation;
    const p00 = (1 - k0) * this.p00;
    const p01 = (1 - k0) * this.p01;
    const p11 = this.p11 - k1 * this.p01;
    this.p00 = p00;
    this.p01 = p01;
    this.p11 = p11;
  }

  /** Forget motion (after a re-detection the old velocity means nothing). */
  reset(position: number): void {
    this.position = position;
    this.velocity = 0;
    this.p00 = this.measurementNoise;
    this.p01 = 0;
    this.p11 = this.processNoise * 100;
  }

  /** Puts the state where other evidence says it is (its uncertainty as it was). */
  setMotion(position: number, velocity: number): void {
    this.position = position;
    this.velocity = velocity;
  }

  /** Slow down while coasting, so a long occlusion does not fling the box away. */
  damp(factor: number): void {
    this.velocity *= factor;
  }
}
