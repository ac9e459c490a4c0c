import { LABEL_NAMES } from '../data/labels.js';
import { EOS_WORD, type ModelConfig } from '../model/config.js';
import { ruleLabel } from '../rules/baseline.js';
import { tokenize } from '../text/tokenize.js';
import { classify, type Policy, ready } from './decide.js';
import { RepairOnsetReviser, type StreamWord } from './repair-onset.js';
import type { Decision, DetectorStream, Revisions } from './types.js';

/** A word waiting for its decision; `pos` is -1 for punctuation-only words, which are always kept. */
type Pending = StreamWord;

/** Shared bookkeeping: input checks, the pending queue, and the end-of-stream guard. */
abstract class BaseStream implements DetectorStream {
  protected pending: Pending[] = [];
  protected nextIndex = 0;
  protected modelPos = 0;
  protected done = false;
  private readonly reviser: RepairOnsetReviser | null;

  constructor(protected readonly revisions: Revisions = 'none') {
    this.reviser = revisions === 'none' ? null : new RepairOnsetReviser();
  }

  get ended(): boolean {
    return this.done;
  }

  push(text: string): Decision[] {
    if (this.done)
      throw new Error('this stream has ended (end() was called); start a new one with detector.stream()');
    if (typeof text !== 'string')
      throw new TypeError(`push() takes a string of words, got ${text === null ? 'null' : typeof text}`);
    const out: Decision[] = [];
    for (const t of tokenize(text)) {
      const p: Pending = {
        index: this.nextIndex++,
        word: t.surface,
        norm: t.norm,
        pos: t.norm ? this.modelPos++ : -1,
      };
      this.pending.push(p);
      if (p.pos >= 0) this.consume(t.norm, out);
      else this.resolve(out, false);
    }
    return out;
  }

  end(): Decision[] {
    if (this.done)
      throw new Error('end() was already called on this stream; start a new one with detector.stream()');
    this.done = true;
    const out: Decision[] = [];
    this.finish(out);
    return out;
  }

  protected decide(p: Pending, label: 0 | 1 | 2, out: Decision[], atEnd = false): void {
    out.push({
      index: p.index,
      word: p.word,
      label: LABEL_NAMES[label],
      removed: label !== 0,
      waited: this.modelPos - 1 - Math.max(p.pos, 0),
      atEnd,
    });
    if (!this.reviser || p.pos < 0) return;
    for (const r of this.reviser.add(p, label))
      out.push({
        index: r.index,
        word: r.word,
        label: 'reparandum',
        removed: true,
        waited: this.modelPos - 1 - r.pos,
        atEnd,
        revision: true,
      });
  }

  /** Punctuation-only words are decided as soon as everything before them is. */
  protected takePunctuation(out: Decision[]): boolean {
    const p = this.pending[0];
    if (p && p.pos < 0) {
      this.pending.shift();
      out.push({
        index: p.index,
        word: p.word,
        label: 'fluent',
        removed: false,
        waited: 0,
        atEnd: this.done,
      });
      return true;
    }
    return false;
  }

  protected abstract consume(norm: string, out: Decision[]): void;
  protected abstract resolve(out: Decision[], final: boolean): void;
  protected abstract finish(out: Decision[]): void;
}

/** What a model stream needs from the network: one step per word (IncrementalTagger, or a replay of its outputs). */
export interface Tagger {
  readonly config: ModelConfig;
  reset(): void;
  /** Head outputs at this position: per delay k, three class logits and a wait logit. */
  step(word: string): Float32Array;
}

/** The neural tagger: decides each word once its wait head says "predict" (or the fixed look-ahead is reached). */
export class ModelStream extends BaseStream {
  private last: Float32Array | null = null;
  /** revisions 'all': the provisional label each undecided word shows now. */
  private readonly shown = new Map<number, 0 | 1 | 2>();

  constructor(
    private readonly tagger: Tagger,
    private readonly policy: Policy,
    revisions: Revisions = 'none',
  ) {
    super(revisions);
    tagger.reset();
  }

  protected consume(norm: string, out: Decision[]): void {
    this.last = this.tagger.step(norm);
    this.resolve(out, false);
  }

  protected finish(out: Decision[]): void {
    if (this.modelPos > 0) {
      this.last = this.tagger.step(EOS_WORD);
      this.modelPos++;
    }
    this.resolve(out, true);
    this.modelPos = Math.max(this.modelPos - 1, 0);
  }

  protected resolve(out: Decision[], final: boolean): void {
    const D = this.tagger.config.maxDelay;
    // After the end marker the current position is one past the last word.
    const j = this.modelPos - 1;
    while (this.pending.length > 0) {
      if (this.takePunctuation(out)) continue;
      const p = this.pending[0];
      const k = j - p.pos;
      const o = this.last!;
      if (!final && !ready(o, k, D, this.policy)) break;
      const best = classify(o, Math.min(k, D), this.policy.reparandumBias);
      this.pending.shift();
      if (final) this.modelPos--; // report waits in words, not counting the end marker
      this.decide(p, best, out, final);
      if (final) this.modelPos++;
      this.shown.delete(p.index);
    }
    if (this.revisions === 'all' && !final) this.showProvisional(j, out);
  }

  /** Labels every undecided word with what its head says now; a decision only when that changes. */
  private showProvisional(j: number, out: Decision[]): void {
    const D = this.tagger.config.maxDelay;
    for (const p of this.pending) {
      const label = p.pos < 0 ? 0 : classify(this.last!, Math.min(j - p.pos, D), this.policy.reparandumBias);
      if (this.shown.get(p.index) === label) continue;
      this.shown.set(p.index, label);
      out.push({
        index: p.index,
        word: p.word,
        label: LABEL_NAMES[label],
        removed: label !== 0,
        waited: p.pos < 0 ? 0 : j - p.pos,
        atEnd: false,
        provisional: true,
      });
    }
  }
}

/** The rule baseline as a stream: each word is decided after a fixed look-ahead (enough to see a repeat). */
export class RuleStream extends BaseStream {
  private window: string[] = [];
  private windowStart = 0;

  constructor(
    private readonly lookahead = 3,
    revisions: Revisions = 'none',
  ) {
    if (revisions === 'all')
      throw new Error(
        `revisions "all" needs a model (method "wait" or "lookahead"): the rules have no opinion before their look-ahead; use "none" or "onset"`,
      );
    super(revisions);
  }

  protected consume(norm: string, out: Decision[]): void {
    this.window.push(norm);
    this.resolve(out, false);
  }

  protected finish(out: Decision[]): void {
    this.resolve(out, true);
  }

  protected resolve(out: Decision[], final: boolean): void {
    while (this.pending.length > 0) {
      if (this.takePunctuation(out)) continue;
      const p = this.pending[0];
      if (!final && this.modelPos - 1 - p.pos < this.lookahead) break;
      this.pending.shift();
      this.decide(p, ruleLabel(this.window, p.pos - this.windowStart), out, final);
    }
    // Keep only what the rule can still look back at: bounded memory on endless streams.
    const keepFrom = (this.pending.find((q) => q.pos >= 0)?.pos ?? this.modelPos) - 12;
    if (keepFrom > this.windowStart) {
      this.window.splice(0, keepFrom - this.windowStart);
      this.windowStart = keepFrom;
    }
  }
}
