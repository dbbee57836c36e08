// Baseline for bench/viewers.ts: the least a Node.js process can do to serve live FLV. ffmpeg pipes
// the looping clip as FLV to stdout; every chunk is written to every connected viewer as it comes
// (no GOP cache, no per-packet framing, no backpressure handling).
import { spawn } from 'node:child_process';
import http from 'node:http';

const [portArg, clip, ffmpegPath] = process.argv.slice(2);
const viewers = new Set<http.ServerResponse>();
let header: Buffer | null = null;
const source = spawn(ffmpegPath!, ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', clip!, '-c', 'copy', '-f', 'flv', 'pipe:1'], { stdio: ['ignore', 'pipe', 'inherit'] });
source.stdout.on('data', (chunk: Buffer) => {
  header ??= chunk;
  for (const res of viewers) res.write(chunk);
});
http
  .createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'video/x-flv' });
    if (header) res.write(header);
    viewers.add(res);
    res.on('close', () => viewers.delete(res));
  })
  .listen(Number(portArg), '127.0.0.1');
