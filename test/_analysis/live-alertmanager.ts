import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { requireTool } from './promtool.ts';

/*
 * A real Alertmanager on a loopback port, and the receivers it notifies: an HTTP server standing
 * in for Slack, PagerDuty and the heartbeat service, and an SMTP server for email. Everything
 * listens on 127.0.0.1 and is stopped by `stop()`.
 */

const ALERTMANAGER = 'prometheus-alertmanager';

/** A request a receiver got. */
export interface Received {
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** An alert as the Alertmanager API v2 lists it. */
export interface ListedAlert {
  readonly fingerprint: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly status: { readonly state: string; readonly inhibitedBy: readonly string[] };
}

async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Quoted-printable as email bodies carry it, decoded. */
export function decodeQuotedPrintable(text: string): string {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** The stand-in receivers: HTTP for webhooks (Slack, PagerDuty, heartbeat) and SMTP for email. */
export class Receivers {
  public readonly http: Received[] = [];
  public readonly mails: string[] = [];
  private httpServer?: Server;
  private smtpServer?: TcpServer;
  public httpPort = 0;
  public smtpPort = 0;

  public async start(): Promise<void> {
    this.httpServer = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        this.http.push({ path: req.url ?? '', headers: req.headers, body });
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"success"}');
      });
    });
    await new Promise<void>((resolve) => this.httpServer!.listen(0, '127.0.0.1', resolve));
    this.httpPort = (this.httpServer.address() as AddressInfo).port;
    this.smtpServer = createTcpServer((socket) => {
      let buffer = '';
      let inData = false;
      socket.write('220 localhost ESMTP\r\n');
      socket.on('data', (d: Buffer) => {
        buffer += d.toString('latin1');
        for (;;) {
          if (inData) {
            const end = buffer.indexOf('\r\n.\r\n');
            if (end < 0) return;
            this.mails.push(buffer.slice(0, end));
            buffer = buffer.slice(end + 5);
            inData = false;
            socket.write('250 OK\r\n');
            continue;
          }
          const eol = buffer.indexOf('\r\n');
          if (eol < 0) return;
          const line = buffer.slice(0, eol).toUpperCase();
          buffer = buffer.slice(eol + 2);
          if (line.startsWith('DATA')) {
            inData = true;
            socket.write('354 go ahead\r\n');
          } else if (line.startsWith('QUIT')) {
            socket.end('221 bye\r\n');
          } else {
            socket.write(line.startsWith('EHLO') ? '250 localhost\r\n' : '250 OK\r\n');
          }
        }
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => this.smtpServer!.listen(0, '127.0.0.1', resolve));
    this.smtpPort = (this.smtpServer.address() as AddressInfo).port;
  }

  public async stop(): Promise<void> {
    await Promise.all([this.httpServer, this.smtpServer].map((s) => s && new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/** A real Alertmanager with `config`, its data in `dir`, on a free loopback port. */
export class LiveAlertmanager {
  private process?: ChildProcess;
  private port = 0;
  private log = '';

  public constructor(private readonly config: object, private readonly dir: string) {}

  public async start(): Promise<void> {
    requireTool(ALERTMANAGER);
    const file = join(this.dir, 'alertmanager.yml');
    writeFileSync(file, yaml.dump(this.config));
    this.port = await freePort();
    this.process = spawn(
      ALERTMANAGER,
      [`--config.file=${file}`, `--web.listen-address=127.0.0.1:${this.port}`, `--storage.path=${join(this.dir, 'data')}`, '--cluster.listen-address='],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.process.stdout!.on('data', (d: Buffer) => (this.log += d.toString()));
    this.process.stderr!.on('data', (d: Buffer) => (this.log += d.toString()));
    for (let i = 0; i < 100; i++) {
      if (this.process.exitCode !== null) throw new Error(`alertmanager exited: ${this.log}`);
      const ready = await fetch(`${this.url}/-/ready`).then((r) => r.ok, () => false);
      if (ready) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`alertmanager not ready: ${this.log}`);
  }

  public get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Posts firing alerts through API v2. */
  public async post(alerts: readonly { readonly labels: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> }[]): Promise<void> {
    const res = await fetch(`${this.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts.map((a) => ({ labels: a.labels, annotations: a.annotations ?? {}, startsAt: new Date().toISOString() }))),
    });
    if (!res.ok) throw new Error(`posting alerts: ${res.status} ${await res.text()}`);
  }

  /** Every alert it holds, with whether (and by what) it is inhibited. */
  public async alerts(): Promise<ListedAlert[]> {
    return (await (await fetch(`${this.url}/api/v2/alerts`)).json()) as ListedAlert[];
  }

  public stop(): void {
    this.process?.kill('SIGTERM');
  }
}
