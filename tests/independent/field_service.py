"""Independent Monte Carlo of scenarios/field-service-project-risks.toml,
written from the model's text (docs/scenario-format.md), not from the Rust
code: numpy's own RNG, vectorised over trials. Prints mean NPV, total costs,
total benefits, P(NPV>0), P(payback<=3y), median payback, with SEs."""
import numpy as np
from scipy import stats
rng = np.random.default_rng(12345)
N = 200_000
T = 60

def pert(a, m, b, u):
    al = 1 + 4 * (m - a) / (b - a); be = 1 + 4 * (b - m) / (b - a)
    return a + (b - a) * stats.beta.ppf(u, al, be)
def tri(a, m, b, u):
    return stats.triang.ppf(u, (m - a) / (b - a), loc=a, scale=b - a)
U = lambda: rng.random(N)

# correlated pair: adoption.max_level and hours (Spearman 0.5 -> Gaussian copula)
rho = 2 * np.sin(np.pi * 0.5 / 6)
z1 = rng.standard_normal(N); z2 = rho * z1 + np.sqrt(1 - rho**2) * rng.standard_normal(N)
u_level, u_hours = stats.norm.cdf(z1), stats.norm.cdf(z2)

g = pert(2, 3, 5, U()); r = tri(4, 6, 12, U()); L = pert(0.6, 0.8, 0.9, u_level)
rev = pert(2100, 2400, 2800, U()); margin = 0.40; customers = 900
churn = pert(0.08, 0.10, 0.14, U())
licence = pert(90000, 120000, 180000, U()); tablets = 450 * 40
training = pert(15000, 25000, 45000, U())
sub_esc = 0.02 + 0.04 * U(); admin = pert(1500, 2500, 4000, U())
hours = pert(250, 400, 700, u_hours); hours_esc = pert(0.02, 0.03, 0.05, U())
rr = pert(0.05, 0.12, 0.25, U()); uplift = pert(0.005, 0.015, 0.03, U()); up_esc = 0.03 * U()

t = np.arange(T + 1)
a = np.where(t[None, :] >= 1, L[:, None] * np.clip((t[None, :] - g[:, None]) / r[:, None], 0, 1), 0.0)

def shock(p_year, loss, dur, cost):
    pm = 1 - (1 - p_year) ** (1 / 12)
    mult = np.ones((N, T + 1)); costs = np.zeros((N, T + 1))
    occ = rng.random((N, T + 1)) < pm; occ[:, 0] = False
    idx, month = np.nonzero(occ)
    for i, m in zip(idx, month):
        l = loss(); d = dur(); c = cost()
        last = T if d is None else min(T, m + d - 1)
        mult[i, m:last + 1] *= 1 - l
        costs[i, m] += c
    return mult, costs
def rnd(f): return lambda: f(rng.random())
def dur_u(lo, hi): return lambda: max(1, int(np.floor(lo + (hi - lo) * rng.random() + 0.5)))
m_rev, c1 = shock(0.08, rnd(lambda u: pert(0.05, 0.10, 0.20, u)), dur_u(6, 18), lambda: 0.0)
mb1, c2 = shock(0.10, rnd(lambda u: 0.2 + 0.3 * u), dur_u(3, 9), rnd(lambda u: pert(8000, 15000, 30000, u)))
mb2, c3 = shock(0.15, rnd(lambda u: 0.3 + 0.4 * u), dur_u(1, 2), rnd(lambda u: pert(4000, 8000, 20000, u)))
mb3, c4 = shock(0.02, lambda: 1.0, lambda: None, rnd(lambda u: pert(10000, 20000, 40000, u)))
mb = mb1 * mb2 * mb3

costs = c1 + c2 + c3 + c4
costs[:, 0] += licence; costs[:, 2] += tablets; costs[:, 3] += training
for p in range(1, T + 1):
    costs[:, p] += 85 * 48 * (1 + sub_esc) ** ((p - 1) // 12) + admin

year = np.maximum(t - 1, 0) // 12
eff = hours[:, None] * 55 * a * (1 + hours_esc[:, None]) ** year[None, :]
B = customers * rev / 12
cross = uplift[:, None] * B[:, None] * margin * a * m_rev * (1 + up_esc[:, None]) ** year[None, :]
c_m = 1 - (1 - churn) ** (1 / 12)
S = np.zeros((N, T + 1))
for k in range(1, T + 1):
    S[:, k] = S[:, k - 1] * (1 - c_m) + customers * c_m * rr * a[:, k]
chn = S * (rev / 12)[:, None] * margin * m_rev
ben = (eff + cross + chn) * mb
ben[:, 0] = 0
cf = ben - costs
cum = np.cumsum(cf, axis=1)
disc = 1.08 ** (-t / 12)
npv = (cf * disc).sum(axis=1)
neg = cum < 0
paid = ~neg[:, -1]
last_neg = np.where(neg.any(axis=1), T - np.argmax(neg[:, ::-1], axis=1), -1)
pay = np.full(N, np.inf)
zero = ~neg.any(axis=1); pay[zero] = 0
ok = paid & ~zero
s = last_neg[ok]; rows = np.nonzero(ok)[0]
pay[ok] = (s + (-cum[rows, s]) / cf[rows, s + 1]) / 12
def ms(x): return x.mean(), x.std(ddof=1) / np.sqrt(len(x))
print("mean npv %.1f +- %.1f" % ms(npv))
print("mean total_costs %.1f +- %.1f" % ms(costs.sum(axis=1)))
print("mean total_benefits %.1f +- %.1f" % ms(ben.sum(axis=1)))
p = (npv > 0).mean(); print("P(npv>0) %.4f +- %.4f" % (p, np.sqrt(p * (1 - p) / N)))
p = (pay <= 3).mean(); print("P(payback<=3) %.4f +- %.4f" % (p, np.sqrt(p * (1 - p) / N)))
print("median payback %.4f" % np.median(pay))
for name, c in [("Key users leave", c2), ("Integration breaks", c3), ("Project fails", c4)]:
    print("item %s %.1f +- %.1f" % ((name,) + ms(c.sum(axis=1))))
