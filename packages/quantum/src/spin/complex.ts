export interface Complex {
  re: number;
  im: number;
}

export function complex(re: number, im = 0): Complex {
  return { re, im };
}

export function formatComplex(c: Complex): string {
  if (c.im === 0) return String(c.re);
  if (c.re === 0) return `${c.im}i`;
  return `(${c.re}${c.im < 0 ? '-' : '+'}${Math.abs(c.im)}i)`;
}
