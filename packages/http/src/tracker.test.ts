import { describe, expect, it } from 'vitest';
import { header } from './message.js';
import { ms, Wire } from './test/wire.js';

const text = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('latin1') : undefined);

describe('HttpTracker', () => {
  it('pairs a keep-alive request and response and reports method, URL, host, status, headers and body', () => {
    const w = new Wire();
    w.c('GET /index.html HTTP/1.1\r\nHost: www.example.test\r\nAccept: */*\r\n\r\n', 10);
    w.s('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 11\r\n\r\nhello', 25);
    w.s(' world', 31);
    w.c('GET /b HTTP/1.1\r\nHost: www.example.test\r\n\r\n', 40);
    w.s('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n', 45);
    expect(w.log).toEqual([
      'request GET /index.html',
      'exchange GET www.example.test/index.html -> 200',
      'request GET /b',
      'exchange GET www.example.test/b -> 404',
    ]);
    const [x] = w.exchanges;
    expect([x!.method, x!.url, x!.host, x!.status, x!.index]).toEqual(['GET', '/index.html', 'www.example.test', 200, 0]);
    expect(x!.request!.headers).toEqual([
      ['Host', 'www.example.test'],
      ['Accept', '*/*'],
    ]);
    expect(header(x!.response!.headers, 'content-type')).toBe('text/html');
    expect(x!.response).toMatchObject({ framing: 'length', contentLength: 11, bodySize: 11, missingBytes: 0, incomplete: false, reason: 'OK', version: '1.1' });
    expect(text(x!.response!.body)).toBe('hello world');
    expect(x!.timing).toEqual({ requestStart: ms(10), requestEnd: ms(10), responseStart: ms(25), responseEnd: ms(31) });
  });

  it('pairs pipelined requests with responses in order, even within one segment', () => {
    const w = new Wire();
    w.c('GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\nGET /3 HTTP/1.1\r\nHost: h\r\n\r\n', 1);
    w.s('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nbb', 5);
    w.s('HTTP/1.1 500 Oops\r\nContent-Length: 3\r\n\r\nccc', 9);
    expect(w.exchanges.map((x) => `${x.url} ${x.status} ${text(x.response?.body)}`)).toEqual(['/1 200 a', '/2 200 bb', '/3 500 ccc']);
    expect(w.exchanges[2]!.timing.responseStart).toEqual(ms(9));
  });

  it('decodes chunked bodies with extensions and trailers, keeping the content coding as sent', () => {
    const w = new Wire();
    w.c('GET /z HTTP/1.1\r\nHost: h\r\nAccept-Encoding: gzip\r\n\r\n');
    const gz = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02, 0x03]);
    w.s('HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n4;ext=1\r\n');
    w.s(Buffer.concat([gz.subarray(0, 4), Buffer.from('\r\n3\r\n'), gz.subarray(4), Buffer.from('\r\n0\r\nX-Sum: abc\r\n\r\n')]));
    const r = w.exchanges[0]!.response!;
    expect(r.framing).toBe('chunked');
    expect([...r.body]).toEqual([...gz]);
    expect(r.bodySize).toBe(7);
    expect(r.trailers).toEqual([['X-Sum', 'abc']]);
    expect(r.incomplete).toBe(false);
  });

  it('gives 1xx, 204, 304 and responses to HEAD no body, whatever their headers say', () => {
    const w = new Wire();
    w.c('POST /up HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n');
    w.s('HTTP/1.1 100 Continue\r\n\r\n', 3);
    w.c('abc', 4);
    w.s('HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n', 6);
    w.c('HEAD /big HTTP/1.1\r\nHost: h\r\n\r\n');
    w.s('HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n\r\n');
    w.c('GET /c HTTP/1.1\r\nHost: h\r\n\r\n');
    w.s('HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n');
    w.c('GET /after HTTP/1.1\r\nHost: h\r\n\r\n');
    w.s('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    expect(w.exchanges.map((x) => `${x.method} ${x.status} ${x.response!.bodySize}`)).toEqual(['POST 204 0', 'HEAD 200 0', 'GET 304 0', 'GET 200 2']);
    const post = w.exchanges[0]!;
    expect(post.informational.map((i) => i.status)).toEqual([100]);
    expect(text(post.request!.body)).toBe('abc');
    expect(post.timing.responseStart).toEqual(ms(3)); // the 100 Continue is the first response byte
    expect(post.timing.responseEnd).toEqual(ms(6));
    expect(w.exchanges[1]!.response!.contentLength).toBe(1048576);
  });

  it('stops parsing at a successful CONNECT and reports the tunnel', () => {
    const w = new Wire({}, { client: 40000, server: 3128 });
    w.c('CONNECT example.test:443 HTTP/1.1\r\nHost: example.test:443\r\n\r\n');
    w.c('\x16\x03\x01 not http at all');
    w.s('HTTP/1.1 200 Connection established\r\n\r\n');
    w.s('\x16\x03\x03 server hello');
    w.close();
    expect(w.log).toEqual(['request CONNECT example.test:443', 'upgrade connect example.test:443', 'exchange CONNECT example.test:443 -> 200']);
    expect(w.exchanges[0]!.upgrade).toEqual({ kind: 'connect', protocol: 'example.test:443' });
  });

  it('stops parsing at 101 Switching Protocols and reports the protocol', () => {
    const w = new Wire();
    w.c('GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    w.s('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello');
    w.c('\x81\x85masked');
    expect(w.log).toEqual(['request GET /chat', 'upgrade upgrade websocket', 'exchange GET h/chat -> 101']);
  });

  it('goes on parsing when an Upgrade is refused', () => {
    const w = new Wire();
    w.c('GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    w.c('GET /next HTTP/1.1\r\nHost: h\r\n\r\n');
    w.s('HTTP/1.1 426 Upgrade Required\r\nContent-Length: 0\r\n\r\n');
    w.s('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect(w.exchanges.map((x) => `${x.url} ${x.status}`)).toEqual(['/chat 426', '/next 200']);
  });

  it('flags a body cut by a gap as incomplete, counts the missing bytes and keeps going', () => {
    const w = new Wire();
    w.c('GET /a HTTP/1.1\r\nHost: h\r\n\r\n');
    w.s('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n');
    w.s('x'.repeat(30));
    w.gap('server', 50);
    w.s('y'.repeat(20));
    w.c('GET /b HTTP/1.1\r\nHost: h\r\n\r\n');
    w.s('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    const [a, b] = w.exchanges;
    expect(a!.response).toMatchObject({ bodySize: 100, missingBytes: 50, incomplete: true });
    expect(text(a!.response!.body)).toBe('x'.repeat(30) + 'y'.repeat(20));
    expect(a!.incomplete).toBe(true);
    expect(b!.response).toMatchObject({ status: 200, incomplete: false });
    expect(text(b!.response!.body)).toBe('ok');
  });

  it('counts a gap inside a chunk and resumes at the next chunk', () => {
    const w = new Wire();
    w.c('GET /a HTTP/1.1\r\nHost: h\r\n\r\n');
    w.s('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n01');
    w.gap('server', 6);
    w.s('89\r\n2\r\nzz\r\n0\r\n\r\n');
    const r = w.exchanges[0]!.response!;
    expect(r).toMatchObject({ bodySize: 12, missingBytes: 6, incomplete: true });
    expect(text(r.body)).toBe('0189zz');
  });

  it('finds the next message after a gap that swallowed a message boundary', () => {
    const w = new Wire();
    w.c('GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n');
    w.s('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234');
    w.gap('server', 25); // the rest of /a's body and the start of /b's response
    w.s('ength: 3\r\n\r\nabc');
    w.c('GET /c HTTP/1.1\r\nHost: h\r\n\r\n');
    w.s('\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nc');
    w.close();
    expect(w.exchanges.map((x) => `${x.url} ${x.status ?? '-'} ${x.incomplete}`)).toEqual(['/a 200 true', '/b 200 false', '/c - true']);
    expect(text(w.exchanges[1]!.response!.body)).toBe('c');
    expect(w.log.some((l) => l.startsWith('skipped server'))).toBe(true);
  });

  it('ends a body delimited by the connection close when the connection closes', () => {
    const w = new Wire();
    w.c('GET /old HTTP/1.0\r\n\r\n');
    w.s('HTTP/1.0 200 OK\r\n\r\nall of ', 5);
    w.s('it', 7);
    expect(w.exchanges).toHaveLength(0);
    w.fin('server', 8);
    const r = w.exchanges[0]!.response!;
    expect(r).toMatchObject({ framing: 'close', incomplete: false, version: '1.0' });
    expect(text(r.body)).toBe('all of it');
    expect(r.endTime).toEqual(ms(8)); // the server's FIN ends it
    // Without a FIN (a reset), it ends with its last byte.
    const v = new Wire();
    v.c('GET /old HTTP/1.0\r\n\r\n').s('HTTP/1.0 200 OK\r\n\r\nabc', 5).close(9, 'reset');
    expect(v.exchanges[0]!.response!.endTime).toEqual(ms(5));
  });

  it('reports a request left unanswered when the connection closes', () => {
    const w = new Wire();
    w.c('GET /lost HTTP/1.1\r\nHost: h\r\n\r\n');
    w.close();
    expect(w.exchanges).toHaveLength(1);
    expect(w.exchanges[0]!.response).toBeUndefined();
    expect(String(w.exchanges[0])).toBe('GET h/lost -> (no response) (incomplete)');
  });

  it('parses the same way whatever the segment boundaries (byte by byte)', () => {
    const req = 'POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nT: 1\r\n\r\n';
    const res = 'HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nokok';
    const whole = new Wire();
    whole.c(req).s(res);
    const bytes = new Wire();
    for (const ch of req) bytes.c(ch);
    for (const ch of res) bytes.s(ch);
    const sum = (w: Wire) => w.exchanges.map((x) => [x.method, x.url, text(x.request!.body), x.request!.trailers, x.status, text(x.response!.body), x.incomplete]);
    expect(sum(bytes)).toEqual(sum(whole));
    expect(sum(whole)).toEqual([['POST', '/p', 'abc', [['T', '1']], 200, 'okok', false]]);
  });

  it('keeps at most maxBodyBytes of a body but counts all of it', () => {
    const w = new Wire({ maxBodyBytes: 4 });
    w.c('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    w.s('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789');
    expect(text(w.exchanges[0]!.response!.body)).toBe('0123');
    expect(w.exchanges[0]!.response!.bodySize).toBe(10);
  });

  it('survives a bad chunk size line without throwing and marks the message incomplete', () => {
    const w = new Wire();
    w.c('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
    w.s('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n');
    expect(w.exchanges[0]!.response!.incomplete).toBe(true);
  });

  it('ignores connections that are not HTTP, and picks up HTTP joined mid-stream on an HTTP port', () => {
    const ssh = new Wire({}, { client: 40000, server: 22 });
    ssh.s('SSH-2.0-OpenSSH_9.2\r\n').c('SSH-2.0-client\r\n').close();
    expect(ssh.log).toEqual([]);
    const mid = new Wire({}, { client: 40000, server: 80 });
    mid.s('the tail of some body\r\n'); // capture started here
    mid.c('GET /next HTTP/1.1\r\nHost: h\r\n\r\n');
    mid.s('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    expect(mid.exchanges.map((x) => `${x.url} ${x.status}`)).toEqual(['/next 200']);
  });

  it('takes the side that sends a request line as the requester even when TCP had the roles reversed', () => {
    const w = new Wire();
    w.s('GET /x HTTP/1.1\r\nHost: h\r\n\r\n');
    w.c('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n!');
    expect(w.exchanges.map((x) => `${x.url} ${x.status}`)).toEqual(['/x 200']);
  });

  it('pairs a response whose request was not captured with no request', () => {
    const w = new Wire();
    w.s('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n!');
    expect(w.exchanges).toHaveLength(1);
    expect(w.exchanges[0]!.request).toBeUndefined();
    expect(w.exchanges[0]!.status).toBe(200);
  });

  it('never throws on random bytes, random splits and random gaps (300 runs)', () => {
    let seed = 11;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return Math.floor((seed / 2 ** 32) * n);
    };
    const req = Buffer.from('GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
    const res = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n');
    for (let run = 0; run < 300; run++) {
      const w = new Wire();
      const mangle = (b: Buffer) => {
        const c = Buffer.from(b);
        for (let k = rnd(4); k > 0; k--) c[rnd(c.length)] = rnd(256);
        return c;
      };
      const feed = (side: 'client' | 'server', b: Buffer) => {
        for (let i = 0; i < b.length; ) {
          const n = 1 + rnd(40);
          if (rnd(10) === 0) w.gap(side, 1 + rnd(30));
          else w.send(side, b.subarray(i, i + n), i);
          i += n;
        }
      };
      expect(() => {
        feed('client', run % 2 ? mangle(req) : req);
        feed('server', run % 3 ? mangle(res) : res);
        w.close();
      }).not.toThrow();
      for (const x of w.exchanges) expect(x.session).toBe(w.session);
    }
  });
});
