//! The model's walk over the months against the walk it replaced (a
//! branch on each month's crossing, every month multiplied by m(t) and
//! m_b(t)), kept here as the reference: the same outcome, item totals and
//! monthly path to the bit, on every bundled scenario's trials and on
//! inputs scaled until the amounts overflow.

use super::*;
use crate::config::Scenario;
use crate::engine::{Engine, Settings};
use crate::sampling::Method;

impl Model {
    pub(super) fn run_reference(
        &self,
        x: &[f64],
        shocks: &[Occurrence],
        s: &mut Scratch,
        mut on_month: impl FnMut(usize, f64),
    ) -> Outcome {
        let t_max = self.months;
        let v = |i: Input| x[i.0];
        let opt = |i: Option<Input>| i.map_or(0.0, v);

        // Shock multipliers m(t) (revenue base) and m_b(t) (every benefit).
        s.shock.fill(1.0);
        s.benefit_shock.fill(1.0);
        for o in shocks {
            let last = match o.duration {
                Some(d) => o.month.saturating_add(d - 1).min(t_max),
                None => t_max,
            };
            let m = match o.hits {
                Hits::Revenue => &mut s.shock,
                Hits::Benefits => &mut s.benefit_shock,
            };
            for mt in &mut m[o.month..=last] {
                *mt *= 1.0 - o.loss;
            }
        }
        let (m, mb) = (&s.shock, &s.benefit_shock);

        // Costs by month.
        let c = &mut s.costs;
        c.fill(0.0);
        for (cost, item) in self.costs.iter().zip(s.items.iter_mut()) {
            let base = v(cost.amount) * v(cost.units);
            *item = match cost.schedule {
                Schedule::OneTime { month } => {
                    c[month] += base;
                    base
                }
                Schedule::Recurring { step, start, end } => {
                    let growth = 1.0 + cost.escalation.map_or(0.0, v);
                    let last = end.min(t_max);
                    let mut p = start;
                    let mut total = 0.0;
                    // (1 + escalation)^⌊(p − start)/12⌋, one factor a year.
                    let (mut years, mut price) = (0, base);
                    while p <= last {
                        while years < (p - start) / 12 {
                            price *= growth;
                            years += 1;
                        }
                        c[p] += price;
                        total += price;
                        p += step;
                    }
                    total
                }
            };
        }
        // Each occurrence's cost, paid in the month it starts.
        let n_costs = self.costs.len();
        let n_shock_items = self.shock_cost_items();
        if n_shock_items > 0 {
            let shock_items = &mut s.items[n_costs..n_costs + n_shock_items];
            shock_items.fill(0.0);
            let mut slot = 0;
            for (k, shock) in self.shocks.iter().enumerate() {
                if !shock.has_cost {
                    continue;
                }
                for o in shocks.iter().filter(|o| o.shock == k) {
                    c[o.month] += o.cost;
                    shock_items[slot] += o.cost;
                }
                slot += 1;
            }
        }

        // Each benefit is a monthly coefficient times one of five monthly
        // bases (see `Basis`); the coefficients are summed per basis:
        // benefit(t) = Σ_basis coef[basis] · basis(t).
        let margin = opt(self.business.gross_margin);
        let customers = opt(self.business.customers);
        let rev_per_customer = opt(self.business.revenue_per_customer);
        let base_monthly_revenue = customers * rev_per_customer / 12.0;
        let mut coef = [0.0; Basis::COUNT];
        let first_benefit = n_costs + n_shock_items;
        let mut escalates = false;
        for (k, (b, item)) in self
            .benefits
            .iter()
            .zip(&mut s.items[first_benefit..])
            .enumerate()
        {
            *item = match b.kind {
                BenefitKind::Efficiency {
                    hours_saved_per_month,
                    hourly_cost,
                } => v(hours_saved_per_month) * v(hourly_cost),
                BenefitKind::Leads {
                    extra_leads_per_month,
                    conversion_rate,
                    deal_value,
                } => v(extra_leads_per_month) * v(conversion_rate) * v(deal_value) * margin,
                BenefitKind::CrossSell { uplift } => v(uplift) * base_monthly_revenue * margin,
                BenefitKind::ChurnReduction { relative_reduction } => v(relative_reduction),
                BenefitKind::Custom {
                    amount, per_year, ..
                } => {
                    if per_year {
                        v(amount) / 12.0
                    } else {
                        v(amount)
                    }
                }
            };
            coef[b.basis() as usize] += *item;
            let growth = 1.0 + b.escalation.map_or(0.0, v);
            s.growth[k] = growth;
            s.year_factor[k] = 1.0;
            s.escalated_sum[k] = 0.0;
            escalates |= growth != 1.0;
        }
        let churn_rr = coef[Basis::ChurnStock as usize];
        let monthly_churn = if churn_rr != 0.0 {
            let annual = opt(self.business.annual_churn);
            -((-annual).ln_1p() / 12.0).exp_m1()
        } else {
            0.0
        };
        let churn_inflow = customers * monthly_churn * churn_rr;
        let churn_value = rev_per_customer / 12.0 * margin;

        let g = v(self.adoption.go_live_month);
        let r = v(self.adoption.ramp_months);
        let level = v(self.adoption.max_level);
        let per_ramp_month = 1.0 / r;
        let adoption = |t: usize| -> f64 {
            let t = t as f64;
            if r > 0.0 {
                level * ((t - g) * per_ramp_month).clamp(0.0, 1.0)
            } else if t > g {
                level
            } else {
                0.0
            }
        };

        // Month 0: the purchase; no benefits.
        let discount = (1.0 + v(self.discount_rate)).powf(-1.0 / 12.0);
        let cf0 = -c[0];
        let (mut cum, mut dcum) = (cf0, cf0);
        let mut total_costs = c[0];
        let mut total_benefits = 0.0;
        // Payback is the time from which the cash *stays* paid back
        // (docs/scenario-format.md): a month that ends below zero undoes any
        // earlier crossing, and the next crossing is interpolated inside its
        // month.
        let mut payback = (cum >= 0.0).then_some(0.0);
        let mut dpayback = payback;
        let (mut in_black, mut d_in_black) = (cum > 0.0, dcum > 0.0);
        let (mut fell_back, mut dfell_back) = (false, false);
        on_month(0, cum);

        let mut stock = 0.0;
        let mut factor = 1.0;
        // Σ a(t), Σ a(t)m(t), Σ 1, Σ m(t), Σ m(t)S(t) over t = 1..T, each
        // times m_b(t), for the per-item totals: over the whole horizon, and
        // over the current year when a benefit escalates.
        let mut sum = [0.0; Basis::COUNT];
        let mut year_sum = [0.0; Basis::COUNT];
        // Escalation: in year y = ⌊(t − 1)/12⌋ a benefit is worth
        // (1 + escalation)^y times its first year's value, so at each year's
        // start the coefficients of the bases are summed anew. Each churn
        // benefit owns its share of the combined stock: the stock's value is
        // scaled by Σ_b rr_b (1 + e_b)^y / Σ_b rr_b.
        let mut year_coef = coef;
        let mut churn_scale = 1.0;
        let benefit_items = first_benefit..first_benefit + self.benefits.len();
        for t in 1..=t_max {
            if escalates && t > 1 && (t - 1) % 12 == 0 {
                year_coef = [0.0; Basis::COUNT];
                for (k, b) in self.benefits.iter().enumerate() {
                    let basis = b.basis() as usize;
                    s.escalated_sum[k] += s.year_factor[k] * year_sum[basis];
                    s.year_factor[k] *= s.growth[k];
                    year_coef[basis] += s.items[first_benefit + k] * s.year_factor[k];
                }
                if churn_rr != 0.0 {
                    churn_scale = year_coef[Basis::ChurnStock as usize] / churn_rr;
                }
                year_sum = [0.0; Basis::COUNT];
            }
            let a = adoption(t);
            let mt = m[t];
            let mbt = mb[t];
            stock = stock * (1.0 - monthly_churn) + churn_inflow * a;
            let basis = [a * mbt, a * mt * mbt, mbt, mt * mbt, mt * stock * mbt];
            for (acc, x) in sum.iter_mut().zip(basis) {
                *acc += x;
            }
            // The year's sums are needed only when a benefit escalates.
            if escalates {
                for (acc, x) in year_sum.iter_mut().zip(basis) {
                    *acc += x;
                }
            }
            let benefit = (year_coef[Basis::Adoption as usize] * a
                + year_coef[Basis::AdoptionShock as usize] * a * mt
                + year_coef[Basis::Flat as usize]
                + year_coef[Basis::Shock as usize] * mt
                + churn_value * mt * stock * churn_scale)
                * mbt;
            let cf = benefit - c[t];
            factor *= discount;
            let dcf = cf * factor;
            let (next, dnext) = (cum + cf, dcum + dcf);
            // `!(x >= 0)`: a NaN (amounts that overflowed) is not paid back.
            if !(next >= 0.0) {
                payback = None;
                fell_back |= in_black;
            } else if cum < 0.0 {
                payback = Some(((t - 1) as f64 + (-cum) / cf) / 12.0);
            }
            if !(dnext >= 0.0) {
                dpayback = None;
                dfell_back |= d_in_black;
            } else if dcum < 0.0 {
                dpayback = Some(((t - 1) as f64 + (-dcum) / dcf) / 12.0);
            }
            in_black |= next > 0.0;
            d_in_black |= dnext > 0.0;
            cum = next;
            dcum = dnext;
            total_costs += c[t];
            total_benefits += benefit;
            on_month(t, cum);
        }

        // Each benefit's total: its coefficient times the sum of its basis
        // (for an escalating benefit, year by year times its factor). The
        // churn stocks are linear in the reduction: each churn benefit owns
        // its share of the combined stock's value.
        // (churn_value · Σ m S / Σ rr, in this order, as before escalation.)
        let churn_share = |x: f64| {
            if churn_rr != 0.0 {
                churn_value * x / churn_rr
            } else {
                0.0
            }
        };
        for (k, (b, item)) in self
            .benefits
            .iter()
            .zip(&mut s.items[benefit_items])
            .enumerate()
        {
            let basis = b.basis() as usize;
            let total = if escalates {
                s.escalated_sum[k] + s.year_factor[k] * year_sum[basis]
            } else {
                sum[basis]
            };
            *item *= if basis == Basis::ChurnStock as usize {
                churn_share(total)
            } else {
                total
            };
        }

        Outcome {
            payback_years: payback,
            discounted_payback_years: dpayback,
            fell_back,
            discounted_fell_back: dfell_back,
            npv: dcum,
            total_costs,
            total_benefits,
            // Undefined when costs are zero, and when they are so small next to
            // the benefits that the ratio overflows (subnormal costs): an
            // infinite ROI is no number to average.
            roi: Some((total_benefits - total_costs) / total_costs)
                .filter(|r| total_costs != 0.0 && r.is_finite()),
        }
    }
}

fn bits(o: &Outcome) -> [u64; 8] {
    let opt = |x: Option<f64>| x.map_or(u64::MAX - 1, f64::to_bits);
    [
        opt(o.payback_years),
        opt(o.discounted_payback_years),
        u64::from(o.fell_back),
        u64::from(o.discounted_fell_back),
        o.npv.to_bits(),
        o.total_costs.to_bits(),
        o.total_benefits.to_bits(),
        opt(o.roi),
    ]
}

/// Both walks on the same inputs: outcome, item totals and path alike.
fn check(model: &Model, x: &[f64], shocks: &[Occurrence], what: &str) {
    let (mut a, mut b) = (model.scratch(), model.scratch());
    let (mut path_a, mut path_b) = (Vec::new(), Vec::new());
    let oa = model.run(x, shocks, &mut a, |t, c| path_a.push((t, c.to_bits())));
    let ob = model.run_reference(x, shocks, &mut b, |t, c| path_b.push((t, c.to_bits())));
    assert_eq!(bits(&oa), bits(&ob), "{what}: {oa:?} vs {ob:?}");
    let items = |s: &Scratch| s.item_totals().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(items(&a), items(&b), "{what}: item totals");
    assert_eq!(path_a, path_b, "{what}: monthly path");
}

#[test]
fn the_walk_is_the_reference_walk_to_the_bit() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = ["scenarios", "tests/fixtures"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).expect("a directory"))
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut loaded = 0;
    let (mut shocked, mut crossings) = (0, 0);
    for file in files {
        // Fragments (no horizon) and files that need others do not load.
        let Ok(sc) = Scenario::load(&file) else {
            continue;
        };
        loaded += 1;
        let engine = Engine::new(&sc, Settings::new(4000, 9, Method::MonteCarlo));
        let mut ts = engine.scratch();
        for trial in 0..4000 {
            let o = engine.trial(trial, &mut ts, |_, _| {});
            shocked += usize::from(!ts.occurrences().is_empty());
            crossings += usize::from(o.payback_years.is_some_and(|p| p > 0.0));
            let name = format!("{} trial {trial}", file.display());
            check(&sc.model, ts.inputs(), ts.occurrences(), &name);
            // Amounts that overflow (NaN and infinite flows), negative
            // and zero ones, and no ramp.
            for scale in [1e300, -1.0, 0.0] {
                let x: Vec<f64> = ts.inputs().iter().map(|v| v * scale).collect();
                check(&sc.model, &x, ts.occurrences(), &format!("{name}, x {scale}"));
            }
        }
    }
    assert!(loaded >= 8, "{loaded} scenarios");
    // Both walks and both kinds of payback were exercised.
    assert!(shocked > 1000 && crossings > 1000, "{shocked} {crossings}");
}
