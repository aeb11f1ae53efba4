import type {InstanceEvent, ServiceEvent} from '../../registry/index.js';
import type {Output} from '../output.js';

const pad = (s: string, n: number) => (s.length >= n ? `${s} ` : s.padEnd(n));

/** Streams watch events as aligned table rows (header once). */
export class WatchPrinter {
  private headed = false;

  constructor(private readonly out: Output) {}

  instance(e: InstanceEvent): void {
    this.head(['TIME', 'EVENT', 'INSTANCE', 'ADDRESS', 'STATUS', 'DETAIL'], [13, 9, 24, 22, 22]);
    const status = pad(e.from ? `${e.from} -> ${e.status}` : e.status, 22);
    const at = status.lastIndexOf(e.status);
    const colored = status.slice(0, at) + this.out.health(e.status) + status.slice(at + e.status.length);
    this.out.line(pad(time(e.at), 13) + pad(e.event, 9) + pad(e.id, 24) + pad(`${e.address}:${e.port}`, 22) + colored +
      (e.event === 'removed' ? '' : oneLine(e.output ?? '')));
  }

  service(e: ServiceEvent): void {
    this.head(['TIME', 'EVENT', 'SERVICE', 'INSTANCES', 'PASSING', 'WARNING', 'CRITICAL'], [13, 9, 24, 11, 9, 9]);
    this.out.line(pad(time(e.at), 13) + pad(e.event, 9) + pad(e.service, 24) + pad(String(e.instances), 11) +
      pad(String(e.passing), 9) + pad(String(e.warning), 9) + String(e.critical));
  }

  private head(cols: string[], widths: number[]): void {
    if (this.headed) return;
    this.headed = true;
    this.out.line(this.out.color.bold(cols.map((c, i) => (i < widths.length ? pad(c, widths[i]) : c)).join('')));
  }
}

function time(iso: string): string {
  return iso.slice(11, 23);
}

function oneLine(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 80 ? `${t.slice(0, 79)}…` : t;
}
