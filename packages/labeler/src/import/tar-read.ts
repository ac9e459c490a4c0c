/** Reads the regular files of a ustar/GNU tar held in memory (imports are label files: small). */
export function readTar(buf: Buffer, fileName: string): { name: string; data: Buffer }[] {
  const out: { name: string; data: Buffer }[] = [];
  let off = 0;
  let longName: string | null = null;
  while (off + 512 <= buf.length) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, n: number) =>
      h
        .subarray(a, a + n)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
    if (Number.parseInt(str(148, 8).trim(), 8) !== sum) {
      throw new Error(
        `${fileName}: not a tar archive (bad header checksum at byte ${off}); upload the .tar the YOLO export produces`,
      );
    }
    const size = Number.parseInt(str(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156] || 48);
    const prefix = str(257, 6) === 'ustar' ? str(345, 155) : '';
    let name = longName ?? (prefix ? `${prefix}/${str(0, 100)}` : str(0, 100));
    longName = null;
    const data = buf.subarray(off + 512, off + 512 + size);
    if (type === 'L') longName = data.toString('utf8').replace(/\0.*$/s, '');
    else if (type === '0' || type === '\0') {
      name = name.replace(/^\.\//, '');
      out.push({ name, data });
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
