//! The floor of a run (issue 14): the least work a whole run of the example
//! scenario (scenarios/midsize-b2b.toml) can do. Each trial draws every
//! uncertain input straight from rand_distr, with one generator per chunk of
//! trials (no keyed streams, no copula: the example's one rank correlation
//! is left out), draws the shocks' occurrences, makes one pass over the
//! months to the payback and the NPV, and records nothing but a checksum.
//!
//! It is written out by hand for the example, with the month model of
//! docs/scenario-format.md ("How one trial is computed"): adoption ramp,
//! shock multiplier, the five benefits, the three costs, discounting, and
//! the payback from which the cumulative cash stays non-negative. Its mean
//! NPV is printed by the benchmark as a sanity check against a real run's
//! summary.json (they differ only by the correlation it leaves out).

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Beta, Distribution, Geometric, LogNormal, Normal, Pert, Triangular, Uniform};
use rayon::prelude::*;

/// Trials per generator and per parallel task, as the engine's chunks.
const CHUNK: u64 = 1024;
/// T = 12 × 5 years.
const MONTHS: usize = 60;

/// Sums over the trials, so that nothing is optimised away.
#[derive(Debug, Default, Clone, Copy)]
pub struct Checksum {
    pub npv_sum: f64,
    pub payback_sum: f64,
}

/// A lognormal given by its 5th and 95th percentiles.
fn lognormal_p5_p95(lo: f64, hi: f64) -> LogNormal<f64> {
    let z95 = 1.644_853_626_951_472_2;
    LogNormal::new(0.5 * (lo.ln() + hi.ln()), (hi.ln() - lo.ln()) / (2.0 * z95))
        .expect("valid lognormal")
}

fn pert(min: f64, mode: f64, max: f64) -> Pert<f64> {
    Pert::new(min, max).with_mode(mode).expect("valid PERT")
}

/// The example's distributions, built once.
struct Inputs {
    ramp: Triangular<f64>,
    level: Pert<f64>,
    revenue_per_customer: Normal<f64>,
    churn: Pert<f64>,
    license: Pert<f64>,
    training: LogNormal<f64>,
    hours: Pert<f64>,
    leads: LogNormal<f64>,
    conversion: Beta<f64>,
    churn_reduction: Pert<f64>,
    uplift: Pert<f64>,
    bankruptcy_gap: Geometric,
    bankruptcy_loss: Uniform<f64>,
    recession_gap: Geometric,
    recession_loss: Pert<f64>,
    recession_months: Uniform<f64>,
    /// (1 + d)^(−t/12), t = 0..=T.
    discount: Vec<f64>,
    /// The subscription's payment in month t (0 at month 0).
    subscription: Vec<f64>,
}

impl Inputs {
    fn new() -> Self {
        let monthly = |p_year: f64| 1.0 - (1.0 - p_year).powf(1.0 / 12.0);
        Inputs {
            ramp: Triangular::new(3.0, 12.0, 6.0).expect("valid triangular"),
            level: pert(0.6, 0.85, 0.95),
            revenue_per_customer: Normal::new(6000.0, 600.0).expect("valid normal"),
            churn: pert(0.10, 0.14, 0.20),
            license: pert(60_000.0, 90_000.0, 160_000.0),
            training: lognormal_p5_p95(15_000.0, 60_000.0),
            hours: pert(60.0, 150.0, 300.0),
            leads: lognormal_p5_p95(2.0, 15.0),
            conversion: Beta::new(2.0, 18.0).expect("valid beta"),
            churn_reduction: pert(0.05, 0.15, 0.30),
            uplift: pert(0.0, 0.01, 0.03),
            bankruptcy_gap: Geometric::new(monthly(0.05)).expect("valid geometric"),
            bankruptcy_loss: Uniform::new(0.03, 0.10).expect("valid uniform"),
            recession_gap: Geometric::new(monthly(0.08)).expect("valid geometric"),
            recession_loss: pert(0.05, 0.10, 0.25),
            recession_months: Uniform::new(6.0, 18.0).expect("valid uniform"),
            discount: (0..=MONTHS)
                .map(|t| 1.08f64.powf(-(t as f64) / 12.0))
                .collect(),
            subscription: (0..=MONTHS)
                .map(|t| {
                    if t == 0 {
                        0.0
                    } else {
                        95.0 * 40.0 * 1.03f64.powi(((t - 1) / 12) as i32)
                    }
                })
                .collect(),
        }
    }

    /// Multiplies m(t) by (1 − loss) over each occurrence's months.
    fn shocks(&self, rng: &mut Xoshiro256PlusPlus, m: &mut [f64]) {
        m.fill(1.0);
        let mut month = 0u64;
        loop {
            month += self.bankruptcy_gap.sample(rng) + 1;
            if month > MONTHS as u64 {
                break;
            }
            let keep = 1.0 - self.bankruptcy_loss.sample(rng);
            // Permanent.
            m[month as usize..].iter_mut().for_each(|v| *v *= keep);
        }
        let mut month = 0u64;
        loop {
            month += self.recession_gap.sample(rng) + 1;
            if month > MONTHS as u64 {
                break;
            }
            let keep = 1.0 - self.recession_loss.sample(rng);
            let months = self.recession_months.sample(rng).round().max(1.0) as usize;
            let start = month as usize;
            let end = (start + months).min(MONTHS + 1);
            m[start..end].iter_mut().for_each(|v| *v *= keep);
        }
    }

    /// One trial: (NPV, payback in years, +∞ beyond the horizon).
    fn trial(&self, rng: &mut Xoshiro256PlusPlus, m: &mut [f64]) -> (f64, f64) {
        let ramp = self.ramp.sample(rng);
        let level = self.level.sample(rng);
        let revenue_per_customer = self.revenue_per_customer.sample(rng);
        let churn = self.churn.sample(rng);
        let license = self.license.sample(rng);
        let training = self.training.sample(rng);
        let hours = self.hours.sample(rng);
        let leads = self.leads.sample(rng);
        let conversion = self.conversion.sample(rng);
        let churn_reduction = self.churn_reduction.sample(rng);
        let uplift = self.uplift.sample(rng);
        self.shocks(rng, m);

        let (go_live, customers, margin, hourly_cost, deal_value) =
            (2.0, 600.0, 0.35, 48.0, 4000.0);
        let base = customers * revenue_per_customer / 12.0;
        let monthly_churn = 1.0 - (1.0 - churn).powf(1.0 / 12.0);
        let efficiency = hours * hourly_cost;
        let lead_value = leads * conversion * deal_value * margin;
        let cross_sell = uplift * base * margin;
        let retained_value = revenue_per_customer / 12.0 * margin;
        let custom = 6000.0 / 12.0;

        // Month 0: the license.
        let mut cum = -license;
        let mut npv = cum;
        let mut retained = 0.0;
        // The last month with Cum < 0 and the share of the next month's
        // flow that brings it back to 0.
        let mut last_negative: Option<f64> = (cum < 0.0).then_some(0.0);
        let months = m.iter().zip(&self.subscription).zip(&self.discount);
        for (t, ((&shock, &subscription), &discount)) in months.enumerate().skip(1) {
            let tf = t as f64;
            let a = level * ((tf - go_live) / ramp).clamp(0.0, 1.0);
            retained =
                retained * (1.0 - monthly_churn) + customers * monthly_churn * churn_reduction * a;
            let benefits = efficiency * a
                + (lead_value * a + cross_sell * a + retained * retained_value) * shock
                + custom * a;
            let costs = subscription + if t == 1 { training } else { 0.0 };
            let cf = benefits - costs;
            let before = cum;
            cum += cf;
            npv += cf * discount;
            if cum < 0.0 {
                last_negative = Some(tf);
            } else if before < 0.0 {
                last_negative = Some(tf - 1.0 + -before / cf);
            }
        }
        let payback = if cum < 0.0 {
            f64::INFINITY
        } else {
            last_negative.map_or(0.0, |s| s / 12.0)
        };
        (npv, payback)
    }
}

/// Runs `trials` trials of the floor in parallel chunks; `seed` seeds each
/// chunk's generator with the chunk's number.
pub fn run(trials: u64, seed: u64) -> Checksum {
    let inputs = Inputs::new();
    (0..trials.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed ^ (c << 20));
            let mut m = vec![1.0; MONTHS + 1];
            let mut sum = Checksum::default();
            for _ in c * CHUNK..((c + 1) * CHUNK).min(trials) {
                let (npv, payback) = inputs.trial(&mut rng, &mut m);
                sum.npv_sum += npv;
                if payback.is_finite() {
                    sum.payback_sum += payback;
                }
            }
            sum
        })
        .reduce(Checksum::default, |a, b| Checksum {
            npv_sum: a.npv_sum + b.npv_sum,
            payback_sum: a.payback_sum + b.payback_sum,
        })
}
