# Reference values of tests/unit/test_stats_pooled.c (SciPy 1.10):
# /usr/bin/python3 tests/unit/pooled_ref.py
import numpy as np
from scipy import stats
def summ(meds, nlevel, theta=0.05, cand=110, prior=None):
    m=np.log(np.array(meds,float))
    k=len(m); nlevel=nlevel or k
    C=np.log1p(3*theta)
    d=m[:-1]-m[1:]
    a=np.abs(d); a=a[a<=C] if (a<=C).sum()>=2 else a
    sd=1.4826*np.median(a); lim=max(C,4*sd)
    used=np.abs(d)<=lim
    D=used.sum(); var=(d[used]**2).sum()/(2*D)
    # stretches
    den=0; L=0
    for u in used:
        if u: L+=1
        else:
            if L: den+=12*L-4
            L=0
    if L: den+=12*L-4
    df=8*D*D/den
    return m,var,df,lim
def show(name, meds, kept_idx, prior=None, cand=110):
    m,var,df,lim=summ(meds,5)
    keep=m[kept_idx]; L=keep.mean(); k=len(keep)
    if prior:
        s0,d0=prior; s2=(d0*s0+df*var)/(d0+df); dft=d0+df
    else: s2=var; dft=df
    se=np.sqrt(s2*(1+1/k)); c=np.log(cand); t=(c-L)/se
    q=stats.t.isf(0.005,dft)
    print(name, "var=%.17g df=%.17g t=%.17g p=%.17g pb=%.17g est=%.17g lo=%.17g hi=%.17g se=%.17g sd=%.4f%%" % (var,df,t,stats.t.sf(t,dft),stats.t.cdf(t,dft),np.expm1(c-L),np.expm1(c-L-q*se),np.expm1(c-L+q*se),se,100*np.sqrt(s2)))
    return se,dft
clean=[100,102,99,101,98.5,100.5,97.5,101.5,99.5,100,102.5,98]
show("clean", clean, [0,1,2,3,4])
exc=list(clean); exc[1]=125
show("excluded", exc, [0,2,3,4])
show("prior", exc, [0,2,3,4], prior=(0.03**2,10))
step=list(clean); step[0]=125
show("step", step, [0], prior=(0.03**2,10))
