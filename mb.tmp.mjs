import { DDSketch } from '@datadog/sketches-js';
for (const round of [1,2,3]) {
const s = new DDSketch();
let t = performance.now();
for (let i = 0; i < 1e6; i++) s.accept(20 + ((i * 7919) % 90000));
console.log('varied', ((performance.now() - t)).toFixed(1), 'ns');
t = performance.now();
for (let i = 0; i < 1e6; i++) s.accept(1000 + (i % 5000));
console.log('narrow', ((performance.now() - t)).toFixed(1), 'ns');
}
