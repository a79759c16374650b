function t(name,f,reps=2000){f();const s=process.hrtime.bigint();let r;for(let i=0;i<reps;i++)r=f();console.log(name,(Number(process.hrtime.bigint()-s)/1e6/reps).toFixed(4),'ms');return r;}
t('64 x new F64(1000)', () => { const a=[]; for (let c=0;c<64;c++) a.push(new Float64Array(1000)); return a; });
t('1 x new F64(64000) + 64 subarray', () => { const b=new Float64Array(64000); const a=[]; for (let c=0;c<64;c++) a.push(b.subarray(c*1000,(c+1)*1000)); return a; });
t('64 x new Array(1000) fill', () => { const a=[]; for (let c=0;c<64;c++) { const x=new Array(1000); for(let i=0;i<1000;i++) x[i]=i*0.5; a.push(x);} return a; });
