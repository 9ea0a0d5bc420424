# Simulation check of the paired MDE (stats/mde.h): power of the exact
# Wilcoxon signed-rank test with HL >= theta at the computed MDE.
# /usr/bin/python3 bench/mde-check.py  (SciPy 1.10, about a minute)
import numpy as np
from scipy import stats
rng=np.random.default_rng(7)
def hl(d):
    w=(d[:,None]+d[None,:])/2
    iu=np.triu_indices(len(d))
    return np.median(w[iu])
for n,alpha,sigma,theta in [(10,0.01/3,0.03,0.02),(20,0.01,0.03,0.02),(30,0.01,0.03,0.02),(60,0.005,0.03,0.02),(20,0.01,0.01,0.02)]:
    se=sigma/np.sqrt(n)*np.sqrt(np.pi/3)
    za,zp=stats.t.ppf(1-alpha,n-1),stats.t.ppf(0.9,n-1)
    delta=max((za+zp)*se, np.log1p(theta)+zp*se)
    hits=0; T=2000
    for _ in range(T):
        d=rng.normal(delta,sigma,n)
        p=stats.wilcoxon(d,alternative='greater').pvalue
        hits+= (p<alpha) and (np.expm1(hl(d))>=theta)
    print(n,alpha,sigma,"mde=%.4f"%np.expm1(delta),"power=%.3f"%(hits/T))
