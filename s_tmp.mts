import * as S from './lib/src/studies/sequentialReduced.ts';
process.env.RNNLAB_SCALE='quick';
let t=Date.now();
const runs = S.linearStudy(S.REDUCED_SCALES.quick.linear);
console.log('linear quick', Date.now()-t, JSON.stringify(S.summarizeS0(runs)));
t=Date.now();
for (const leak of [0,1e-4,0.01,0.1]) { const r = S.meanFieldSequentialRun({leak}); console.log(leak, r.interference, r.learningTime, r.mode, r.attractors.outcome, r.race, r.maxOffDiagonal, r.MAfterB); }
const a = S.meanFieldSequentialRun({leak:0.01});
const g = S.timeResolvedGradient(a.MAfterA, a.options); console.log('centroids', g.rotationCentroid, g.newFormationCentroid);
console.log(JSON.stringify(S.inputEmphasisMeanField()));
console.log('mf', Date.now()-t);
