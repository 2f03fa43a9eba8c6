/**
 * A load generator for tests/exporter.load.test.ts, in its own process so that it does not share an
 * event loop with the stub Prometheus the exporter reads: `node scrapers.cjs URL SCRAPERS SECONDS`.
 * Each scraper asks for URL again as soon as it has the answer (keep-alive, plain Node http). Prints
 * one JSON line: the latencies (ms), the errors, the worst age of syrroca_last_success_timestamp_seconds
 * seen and how many answers had syrroca_up 0.
 */
const { Agent, get } = require('http');

const [url, scrapers, seconds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const agent = new Agent({ keepAlive: true, maxSockets: scrapers });
const gauge = (text, name) => Number((text.match(new RegExp(`^${name} (\\S+)$`, 'm')) || [])[1]);

function scrape() {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    get(url, { agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () =>
        res.statusCode === 200
          ? resolve({ ms: performance.now() - started, text })
          : reject(new Error(`HTTP ${res.statusCode}`))
      );
    }).on('error', reject);
  });
}

(async () => {
  const latencies = [];
  const errors = [];
  let worstAge = 0;
  let upZero = 0;
  const deadline = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: scrapers }, async () => {
      while (Date.now() < deadline) {
        try {
          const { ms, text } = await scrape();
          latencies.push(ms);
          worstAge = Math.max(worstAge, Date.now() / 1000 - gauge(text, 'syrroca_last_success_timestamp_seconds'));
          upZero += gauge(text, 'syrroca_up') === 0 ? 1 : 0;
        } catch (err) {
          errors.push(err.message);
        }
      }
    })
  );
  agent.destroy();
  process.stdout.write(
    JSON.stringify({ latencies, errors: errors.slice(0, 20), errorCount: errors.length, worstAge, upZero }) + '\n'
  );
})();
