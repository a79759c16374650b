const { readChunkMessage, toPlain } = require('../dist/nodes/shared/messages');
const data = Array.from({length:64},()=>{const a=new Float64Array(1000);for(let i=0;i<1000;i++)a[i]=Math.random();return a;});
function t(name,f,reps=500){f();const s=process.hrtime.bigint();let r;for(let i=0;i<reps;i++)r=f();console.log(name,(Number(process.hrtime.bigint()-s)/1e6/reps).toFixed(3),'ms');return r;}
const plain = toPlain(data);
for (let k=0;k<3;k++){
t('read plain', () => readChunkMessage({ payload: plain }));
t('read typed', () => readChunkMessage({ payload: data }));
}
function scan(values){ for (let i=0;i<values.length;i++){const x=values[i]; if (x-x!==0) throw new Error('x');} return values;}
t('raw scan typed', () => { for (const d of data) scan(d); });
