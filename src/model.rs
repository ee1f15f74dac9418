//! The cash-flow model of one trial, exactly as `docs/scenario-format.md`
//! defines it, and nothing else: no randomness, no I/O.
//!
//! Given the drawn inputs of a trial (by index into the scenario's input
//! list) and the shock occurrences, it walks the months t = 0..T:
//! adoption a(t), the shock multipliers m(t) (revenue base) and m_b(t)
//! (every benefit), benefits with their yearly escalation, costs (shock
//! costs included), the cash flow CF(t), its running sum Cum(t) and their
//! discounted versions, and returns
//! payback (the time from which the cumulative cash flow stays
//! non-negative, interpolated inside the month of the last crossing; `None`
//! when Cum(T) < 0), discounted payback, whether the cash fell back after
//! being in the black, NPV, totals and ROI.

/// Index of an input quantity in the scenario's input list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Input(pub usize);

/// The adoption curve a(t) = L · clamp((t − g)/r, 0, 1), or L · `[t > g]` when r = 0.
#[derive(Debug, Clone)]
pub struct Adoption {
    pub go_live_month: Input,
    pub ramp_months: Input,
    pub max_level: Input,
}

/// The business baseline; a field is `None` when the scenario has none and
/// no benefit needs it.
#[derive(Debug, Clone, Default)]
pub struct Business {
    pub customers: Option<Input>,
    pub revenue_per_customer: Option<Input>,
    pub gross_margin: Option<Input>,
    pub annual_churn: Option<Input>,
}

/// When a cost is paid.
#[derive(Debug, Clone, PartialEq)]
pub enum Schedule {
    /// Once, at this month.
    OneTime { month: usize },
    /// At start, start + step, ... while <= end and <= T.
    Recurring {
        step: usize,
        start: usize,
        end: usize,
    },
}

#[derive(Debug, Clone)]
pub struct Cost {
    pub name: String,
    pub amount: Input,
    pub units: Input,
    /// Yearly price increase; `None` for one-time costs.
    pub escalation: Option<Input>,
    pub schedule: Schedule,
}

#[derive(Debug, Clone)]
pub enum BenefitKind {
    Efficiency {
        hours_saved_per_month: Input,
        hourly_cost: Input,
    },
    Leads {
        extra_leads_per_month: Input,
        conversion_rate: Input,
        deal_value: Input,
    },
    ChurnReduction {
        relative_reduction: Input,
    },
    CrossSell {
        uplift: Input,
    },
    Custom {
        /// The amount as written; divided by 12 when `per_year`.
        amount: Input,
        per_year: bool,
        revenue_linked: bool,
        ramps_with_adoption: bool,
    },
}

#[derive(Debug, Clone)]
pub struct Benefit {
    pub name: String,
    pub kind: BenefitKind,
    /// Yearly growth of the benefit's value: month t is multiplied by
    /// (1 + escalation)^⌊(t − 1)/12⌋. `None` when the scenario gives none.
    pub escalation: Option<Input>,
}

/// A shock as the model sees it: its name, for the breakdown of costs, and
/// whether its occurrences cost money.
#[derive(Debug, Clone)]
pub struct Shock {
    pub name: String,
    pub has_cost: bool,
}

/// The monthly quantity a benefit's coefficient multiplies: adoption a(t),
/// a(t) times the shock multiplier m(t), 1, m(t), or m(t) times the stock
/// of retained customers S(t).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Basis {
    Adoption,
    AdoptionShock,
    Flat,
    Shock,
    ChurnStock,
}

impl Basis {
    const COUNT: usize = 5;
}

impl BenefitKind {
    /// The inputs whose product makes the benefit's monthly value, before
    /// its basis (adoption, shock multiplier, stock of retained customers)
    /// scales it: what [`Model::run`] multiplies, the business fields
    /// included. For checks on a benefit's possible sign and size.
    pub fn factors(&self, business: &Business) -> Vec<Input> {
        let mut f = match *self {
            BenefitKind::Efficiency {
                hours_saved_per_month,
                hourly_cost,
            } => vec![hours_saved_per_month, hourly_cost],
            BenefitKind::Leads {
                extra_leads_per_month,
                conversion_rate,
                deal_value,
            } => vec![extra_leads_per_month, conversion_rate, deal_value],
            BenefitKind::CrossSell { uplift } => vec![uplift],
            BenefitKind::ChurnReduction { relative_reduction } => vec![relative_reduction],
            BenefitKind::Custom { amount, .. } => vec![amount],
        };
        let revenue = [business.customers, business.revenue_per_customer];
        match self {
            BenefitKind::Leads { .. } => f.extend(business.gross_margin),
            BenefitKind::CrossSell { .. } | BenefitKind::ChurnReduction { .. } => {
                f.extend(revenue.into_iter().flatten());
                f.extend(business.gross_margin);
            }
            _ => {}
        }
        f
    }
}

impl Benefit {
    fn basis(&self) -> Basis {
        match self.kind {
            BenefitKind::Efficiency { .. } => Basis::Adoption,
            BenefitKind::Leads { .. } | BenefitKind::CrossSell { .. } => Basis::AdoptionShock,
            BenefitKind::ChurnReduction { .. } => Basis::ChurnStock,
            BenefitKind::Custom {
                ramps_with_adoption,
                revenue_linked,
                ..
            } => match (ramps_with_adoption, revenue_linked) {
                (true, false) => Basis::Adoption,
                (true, true) => Basis::AdoptionShock,
                (false, false) => Basis::Flat,
                (false, true) => Basis::Shock,
            },
        }
    }
}

/// What a shock's loss multiplies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Hits {
    /// `revenue_loss`: the revenue base, through m(t).
    #[default]
    Revenue,
    /// `benefit_loss`: every benefit, through m_b(t).
    Benefits,
}

/// One occurrence of a shock: active from `month` through
/// `month + duration − 1`, or through T when `duration` is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Occurrence {
    /// Index of the shock in the scenario.
    pub shock: usize,
    pub month: usize,
    /// Share lost while active: of the revenue base or of every benefit,
    /// as `hits` says.
    pub loss: f64,
    pub duration: Option<usize>,
    pub hits: Hits,
    /// Paid in `month` (0 when the shock has no `cost`).
    pub cost: f64,
}

/// The validated, typed model of a scenario.
#[derive(Debug, Clone)]
pub struct Model {
    /// T = 12 · horizon_years.
    pub months: usize,
    pub discount_rate: Input,
    pub adoption: Adoption,
    pub business: Business,
    pub costs: Vec<Cost>,
    pub benefits: Vec<Benefit>,
    /// The scenario's shocks, in order (an occurrence's `shock` indexes it).
    pub shocks: Vec<Shock>,
}

/// What one trial yields.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// Years from which Cum(t) stays >= 0 through the horizon, interpolated
    /// inside the month of the last crossing; `None` when Cum(T) < 0.
    pub payback_years: Option<f64>,
    /// The same on the discounted DCum(t).
    pub discounted_payback_years: Option<f64>,
    /// Cum(t) was > 0 in some month and < 0 in a later one: the cash was in
    /// the black and fell back (a later outlay, a shock).
    pub fell_back: bool,
    /// The same on DCum(t).
    pub discounted_fell_back: bool,
    /// DCum(T).
    pub npv: f64,
    pub total_costs: f64,
    pub total_benefits: f64,
    /// (benefits − costs) / costs; `None` when total costs are zero or the
    /// ratio is not a finite number.
    pub roi: Option<f64>,
}

/// Per-thread buffers, so that a trial allocates nothing.
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    costs: Vec<f64>,
    shock: Vec<f64>,
    benefit_shock: Vec<f64>,
    items: Vec<f64>,
    /// Per benefit: 1 + escalation, the factor of the current year, and
    /// the sum over the years so far of factor · Σ basis(t) (escalating
    /// benefits only).
    growth: Vec<f64>,
    year_factor: Vec<f64>,
    escalated_sum: Vec<f64>,
    /// Cum(t) and the rest of the last walk, month by month.
    paths: Paths,
    /// For the tests: walk every trial with both shock multipliers, as
    /// the variant for trials that have both kinds of shock.
    #[cfg(test)]
    general: bool,
}

impl Scratch {
    /// Whether every trial takes the walk with both shock multipliers
    /// (the tests compare the other walks with it).
    fn forced_general(&self) -> bool {
        #[cfg(test)]
        return self.general;
        #[cfg(not(test))]
        false
    }

    /// After [`Model::walk`] or [`Model::run`]: Cum(t), t = 0..=T.
    pub fn path(&self) -> &[f64] {
        &self.paths.cum
    }

    /// After [`Model::run`]: each item's undiscounted total over the
    /// horizon: costs first (in scenario order), then the costs of each
    /// shock that has a `cost`, then benefits.
    pub fn item_totals(&self) -> &[f64] {
        &self.items
    }
}

/// What the walk over the months of one trial reads ([`Walk::months`]).
struct Walk<'a> {
    /// Costs by month.
    c: &'a [f64],
    /// m(t) and m_b(t), read only by the variants that have them.
    m: &'a [f64],
    mb: &'a [f64],
    /// The benefits' coefficients summed per basis, in the first year.
    coef: [f64; Basis::COUNT],
    /// Σ of the churn benefits' relative reductions.
    churn_rr: f64,
    monthly_churn: f64,
    churn_inflow: f64,
    churn_value: f64,
    go_live: f64,
    ramp: f64,
    level: f64,
}

/// The benefits' yearly escalation, for the walk: each benefit's factor
/// of the current year and its escalated sum so far.
struct Years<'a> {
    benefits: &'a [Benefit],
    /// Each benefit's first-year coefficient.
    items: &'a [f64],
    growth: &'a [f64],
    year_factor: &'a mut [f64],
    escalated_sum: &'a mut [f64],
}

/// What the walk yields.
struct Walked {
    payback: Option<f64>,
    dpayback: Option<f64>,
    fell_back: bool,
    dfell_back: bool,
    npv: f64,
    total_costs: f64,
    total_benefits: f64,
    /// Σ over t = 1..T of each basis times m_b(t).
    sum: [f64; Basis::COUNT],
    /// The same over the current year (escalating variants only).
    year_sum: [f64; Basis::COUNT],
}

/// One trial's months, t = 0..=T, as the walk ([`Walk::months`]) leaves
/// them: its passes over the months read and write these.
#[derive(Debug, Clone, Default)]
struct Paths {
    /// t as a float (the same for every trial).
    t: Vec<f64>,
    /// (1 + d)^(−t/12) as the running product of the monthly factor, for
    /// the discount rate whose bits are `discount_bits`.
    factor: Vec<f64>,
    discount_bits: Option<u64>,
    /// a(t).
    adoption: Vec<f64>,
    /// CF(t), Cum(t), the discounted CF(t) and DCum(t).
    cf: Vec<f64>,
    cum: Vec<f64>,
    dcf: Vec<f64>,
    dcum: Vec<f64>,
}

impl Paths {
    fn new(months: usize) -> Self {
        let zeros = || vec![0.0; months + 1];
        Paths {
            t: (0..=months).map(|t| t as f64).collect(),
            factor: zeros(),
            discount_bits: None,
            adoption: zeros(),
            cf: zeros(),
            cum: zeros(),
            dcf: zeros(),
            dcum: zeros(),
        }
    }

    /// Sets `factor` for the monthly discount factor `d` of the rate
    /// whose bits are `bits`, unless it is set for that rate already.
    fn discount(&mut self, bits: u64, d: f64) {
        if self.discount_bits == Some(bits) {
            return;
        }
        let mut f = 1.0;
        for x in &mut self.factor {
            *x = f;
            f *= d;
        }
        self.discount_bits = Some(bits);
    }
}

/// The payback of one running sum and whether it fell back, from the sum
/// month by month (`cum`, t = 0..=T) and the flows that made it (`cf`).
///
/// Payback is the time from which the sum *stays* non-negative
/// (docs/scenario-format.md): the months after the last one that ends
/// below zero (or is not a number: amounts that overflowed), interpolated
/// inside the month that crosses. `None` when Cum(T) is below zero; 0 when
/// no month is. It fell back when a month above zero comes before that
/// last month below zero.
fn payback_of(cum: &[f64], cf: &[f64]) -> (Option<f64>, bool) {
    // Blocks of eight months are tested whole, without branches (the
    // compiler vectorizes them): `all_at_least_zero` and `any_above_zero`.
    const BLOCK: usize = 8;
    let all_at_least_zero = |xs: &[f64]| xs.iter().fold(true, |all, &x| all & (x >= 0.0));
    let any_above_zero = |xs: &[f64]| xs.iter().fold(false, |any, &x| any | (x > 0.0));
    // `k`: the first month of the final run of months at or above zero.
    let mut k = cum.len();
    while k >= BLOCK && all_at_least_zero(&cum[k - BLOCK..k]) {
        k -= BLOCK;
    }
    while k > 0 && cum[k - 1] >= 0.0 {
        k -= 1;
    }
    if k == 0 {
        return (Some(0.0), false);
    }
    let fell_back = cum[..k - 1].chunks(BLOCK).any(any_above_zero);
    if k == cum.len() {
        return (None, fell_back);
    }
    // Cum(k − 1) < 0 ≤ Cum(k): it crosses inside month k. (Cum(k − 1) is
    // a number: a NaN would have made every later sum NaN.)
    let t = k as f64;
    (Some(((t - 1.0) + (-cum[k - 1]) / cf[k]) / 12.0), fell_back)
}

impl Walk<'_> {
    /// Walks months 0..=T, leaving Cum(t), CF(t) and their discounted
    /// versions in `paths`: adoption first (elementwise, vectorized), then
    /// one pass in month order for the churn stock, the sums of the bases,
    /// the benefits, the cash flows and the running sums. The stock's
    /// recurrence (a multiplication and an addition a month) sets the
    /// pace of that pass; the rest of a month's work fits beside it, where
    /// separate passes would each add their own (docs/performance.md,
    /// tenth round). Every value is computed from the same operands in the
    /// same order as in a plain month-by-month loop.
    ///
    /// `M`: the trial has revenue shocks (else m(t) = 1 and is not read);
    /// `MB`: it has benefit shocks (m_b(t)); `ESC`: a benefit escalates. A
    /// variant without one of them leaves out multiplications by 1 and
    /// sums it does not need, which changes no bit: x · 1 = x exactly, and
    /// the sums of two bases that are equal month by month are equal.
    #[inline]
    fn months<const M: bool, const MB: bool, const ESC: bool>(
        &self,
        t_max: usize,
        years: Years,
        paths: &mut Paths,
    ) -> Walked {
        use Basis::{Adoption, AdoptionShock, ChurnStock, Flat, Shock};
        let (c, coef, churn_rr) = (&self.c[..=t_max], self.coef, self.churn_rr);
        let (m, mb) = (&self.m[..=t_max], &self.mb[..=t_max]);
        let Paths {
            t: tf,
            factor,
            adoption,
            cf,
            cum,
            dcf,
            dcum,
            ..
        } = paths;
        let tf = &tf[1..=t_max];
        let factor = &factor[1..=t_max];
        let adoption = &mut adoption[1..=t_max];
        // Months 1..=T from here: index i is month i + 1.
        let (m, mb, costs) = (&m[1..], &mb[1..], &c[1..]);

        // a(t).
        let (g, r, level) = (self.go_live, self.ramp, self.level);
        if r > 0.0 {
            let per_ramp_month = 1.0 / r;
            for (a, &t) in adoption.iter_mut().zip(tf) {
                *a = level * ((t - g) * per_ramp_month).clamp(0.0, 1.0);
            }
        } else {
            for (a, &t) in adoption.iter_mut().zip(tf) {
                *a = if t > g { level } else { 0.0 };
            }
        }

        // S(t), and Σ a(t), Σ a(t)m(t), Σ 1, Σ m(t), Σ m(t)S(t) over
        // t = 1..T, each times m_b(t), for the per-item totals: over the
        // whole horizon, and over the current year when a benefit
        // escalates.
        // Escalation: in year y = ⌊(t − 1)/12⌋ a benefit is worth
        // (1 + escalation)^y times its first year's value, so at each year's
        // start the coefficients of the bases are summed anew. Each churn
        // benefit owns its share of the combined stock: the stock's value is
        // scaled by Σ_b rr_b (1 + e_b)^y / Σ_b rr_b.
        let keep = 1.0 - self.monthly_churn;
        let inflow = self.churn_inflow;
        let mut s = 0.0;
        let mut sum = [0.0; Basis::COUNT];
        let mut year_sum = [0.0; Basis::COUNT];
        // This year's coefficients and churn scale (they change only when a
        // benefit escalates).
        let (mut yc, mut scale) = (coef, 1.0);

        // Month 0, then Cum(t), DCum(t) and the totals, in month order.
        let first = -c[0];
        let (cf, dcf) = (&mut cf[..=t_max], &mut dcf[..=t_max]);
        let (cum, dcum) = (&mut cum[..=t_max], &mut dcum[..=t_max]);
        cf[0] = first;
        dcf[0] = first;
        cum[0] = first;
        dcum[0] = first;
        let (mut run, mut drun) = (first, first);
        let mut total_costs = c[0];
        let mut total_benefits = 0.0;
        let rows = (cf[1..].iter_mut())
            .zip(&mut dcf[1..])
            .zip(&mut cum[1..])
            .zip(&mut dcum[1..])
            .zip(costs)
            .zip(factor)
            .enumerate();
        for (i, (((((flow, dflow), cu), dcu), &cost), &f)) in rows {
            if ESC && i > 0 && i % 12 == 0 {
                let mut next = [0.0; Basis::COUNT];
                for (k, b) in years.benefits.iter().enumerate() {
                    let basis = b.basis() as usize;
                    years.escalated_sum[k] += years.year_factor[k] * year_sum[basis];
                    years.year_factor[k] *= years.growth[k];
                    next[basis] += years.items[k] * years.year_factor[k];
                }
                if churn_rr != 0.0 {
                    scale = next[ChurnStock as usize] / churn_rr;
                }
                yc = next;
                year_sum = [0.0; Basis::COUNT];
            }
            let a = adoption[i];
            s = s * keep + inflow * a;
            let mt = if M { m[i] } else { 1.0 };
            let mbt = if MB { mb[i] } else { 1.0 };
            let by_m = |x: f64| if M { x * mt } else { x };
            let by_mb = |x: f64| if MB { x * mbt } else { x };
            let basis = [
                by_mb(a),
                by_mb(by_m(a)),
                mbt,
                by_mb(by_m(1.0)),
                by_mb(by_m(s)),
            ];
            // Without revenue shocks the bases a·m and m equal a and 1;
            // without benefit shocks, Σ m_b(t) is T: their sums are set
            // after the walk.
            sum[Adoption as usize] += basis[Adoption as usize];
            if M {
                sum[AdoptionShock as usize] += basis[AdoptionShock as usize];
                sum[Shock as usize] += basis[Shock as usize];
            }
            if MB {
                sum[Flat as usize] += basis[Flat as usize];
            }
            sum[ChurnStock as usize] += basis[ChurnStock as usize];
            // The year's sums are needed only when a benefit escalates.
            if ESC {
                for (acc, x) in year_sum.iter_mut().zip(basis) {
                    *acc += x;
                }
            }

            // benefit(t) = Σ_basis coef · basis(t), and CF(t).
            let churn = by_m(self.churn_value) * s;
            let churn = if ESC { churn * scale } else { churn };
            let b = by_mb(
                yc[Adoption as usize] * a
                    + by_m(yc[AdoptionShock as usize] * a)
                    + yc[Flat as usize]
                    + by_m(yc[Shock as usize])
                    + churn,
            );
            *flow = b - cost;
            *dflow = *flow * f;

            run += *flow;
            drun += *dflow;
            *cu = run;
            *dcu = drun;
            total_costs += cost;
            total_benefits += b;
        }
        if !MB {
            // 1 added T times to 0: T exactly.
            sum[Flat as usize] = t_max as f64;
        }
        if !M {
            sum[AdoptionShock as usize] = sum[Adoption as usize];
            sum[Shock as usize] = sum[Flat as usize];
        }
        let (payback, fell_back) = payback_of(cum, cf);
        let (dpayback, dfell_back) = payback_of(dcum, dcf);
        Walked {
            payback,
            dpayback,
            fell_back,
            dfell_back,
            npv: drun,
            total_costs,
            total_benefits,
            sum,
            year_sum,
        }
    }
}

impl Model {
    /// The shocks with a `cost`, each an item of its own.
    fn shock_cost_items(&self) -> usize {
        self.shocks.iter().filter(|s| s.has_cost).count()
    }

    /// The number of items of the breakdown ([`Scratch::item_totals`]).
    pub fn items(&self) -> usize {
        self.costs.len() + self.shock_cost_items() + self.benefits.len()
    }

    pub fn scratch(&self) -> Scratch {
        let n = self.benefits.len();
        Scratch {
            costs: vec![0.0; self.months + 1],
            shock: vec![1.0; self.months + 1],
            benefit_shock: vec![1.0; self.months + 1],
            items: vec![0.0; self.costs.len() + self.shock_cost_items() + n],
            growth: vec![1.0; n],
            year_factor: vec![1.0; n],
            escalated_sum: vec![0.0; n],
            paths: Paths::new(self.months),
            #[cfg(test)]
            general: false,
        }
    }

    /// Runs one trial. `x` holds the drawn inputs; `on_month(t, Cum(t))` is
    /// called for t = 0..=T in order.
    pub fn run(
        &self,
        x: &[f64],
        shocks: &[Occurrence],
        s: &mut Scratch,
        mut on_month: impl FnMut(usize, f64),
    ) -> Outcome {
        let outcome = self.walk(x, shocks, s);
        for (t, &cum) in s.path().iter().enumerate() {
            on_month(t, cum);
        }
        outcome
    }

    /// Runs one trial, as [`Model::run`], and leaves Cum(t) for
    /// t = 0..=T in [`Scratch::path`].
    pub fn walk(&self, x: &[f64], shocks: &[Occurrence], s: &mut Scratch) -> Outcome {
        let t_max = self.months;
        let v = |i: Input| x[i.0];
        let opt = |i: Option<Input>| i.map_or(0.0, v);

        // Shock multipliers m(t) (revenue base) and m_b(t) (every benefit),
        // set only when some occurrence has them differ from 1.
        let general = s.forced_general();
        let revenue_shocks = general || shocks.iter().any(|o| o.hits == Hits::Revenue);
        let benefit_shocks = general || shocks.iter().any(|o| o.hits == Hits::Benefits);
        if revenue_shocks {
            s.shock.fill(1.0);
        }
        if benefit_shocks {
            s.benefit_shock.fill(1.0);
        }
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
                    // (1 + escalation)^⌊(p − start)/12⌋, one factor a year:
                    // `price` is paid in the months before `year_end`.
                    let (mut year_end, mut price) = (start.saturating_add(12), base);
                    while p <= last {
                        while p >= year_end {
                            price *= growth;
                            year_end += 12;
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

        // Month 0: the purchase; no benefits.
        let rate = v(self.discount_rate);
        // A power costs more than the rest of a month, and the rate is
        // usually fixed: the factors are computed once per rate.
        if s.paths.discount_bits != Some(rate.to_bits()) {
            s.paths
                .discount(rate.to_bits(), (1.0 + rate).powf(-1.0 / 12.0));
        }
        let walk = Walk {
            c: &s.costs,
            m: &s.shock,
            mb: &s.benefit_shock,
            coef,
            churn_rr,
            monthly_churn,
            churn_inflow,
            churn_value,
            go_live: v(self.adoption.go_live_month),
            ramp: v(self.adoption.ramp_months),
            level: v(self.adoption.max_level),
        };
        let years = Years {
            benefits: &self.benefits,
            items: &s.items[first_benefit..first_benefit + self.benefits.len()],
            growth: &s.growth,
            year_factor: &mut s.year_factor,
            escalated_sum: &mut s.escalated_sum,
        };
        // The walk for this trial's shocks and escalation, each left out
        // where it does not apply: a multiplier of 1 and a sum over one
        // year change nothing, so each variant gives the same bits.
        let walked = match (revenue_shocks, benefit_shocks, escalates) {
            (false, false, false) => walk.months::<false, false, false>(t_max, years, &mut s.paths),
            (true, false, false) => walk.months::<true, false, false>(t_max, years, &mut s.paths),
            (false, true, false) => walk.months::<false, true, false>(t_max, years, &mut s.paths),
            (true, true, false) => walk.months::<true, true, false>(t_max, years, &mut s.paths),
            (false, false, true) => walk.months::<false, false, true>(t_max, years, &mut s.paths),
            (true, false, true) => walk.months::<true, false, true>(t_max, years, &mut s.paths),
            (false, true, true) => walk.months::<false, true, true>(t_max, years, &mut s.paths),
            (true, true, true) => walk.months::<true, true, true>(t_max, years, &mut s.paths),
        };
        let benefit_items = first_benefit..first_benefit + self.benefits.len();

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
                s.escalated_sum[k] + s.year_factor[k] * walked.year_sum[basis]
            } else {
                walked.sum[basis]
            };
            *item *= if basis == Basis::ChurnStock as usize {
                churn_share(total)
            } else {
                total
            };
        }

        let (total_costs, total_benefits) = (walked.total_costs, walked.total_benefits);
        Outcome {
            payback_years: walked.payback,
            discounted_payback_years: walked.dpayback,
            fell_back: walked.fell_back,
            discounted_fell_back: walked.dfell_back,
            npv: walked.npv,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Scenario;
    use crate::engine::{Engine, Settings};
    use crate::sampling::Method;
    use std::path::Path;

    /// Every kind of shock and benefit basis, escalating or not, and shocks
    /// frequent enough that every combination occurs.
    const EVERY_VARIANT: &str = r#"
horizon_years = 3
[finance]
discount_rate = { uniform = [0.0, 0.1] }
[adoption]
go_live_month = { uniform = [0, 4] }
ramp_months = { triangular = [0, 2, 9] }
[business]
customers = 300
revenue_per_customer = { normal = { mean = 5000, sd = 500 } }
gross_margin = 0.4
annual_churn = { pert = [0.05, 0.1, 0.3] }
[[costs]]
name = "Licence"
amount = { pert = [20000, 40000, 90000] }
[[costs]]
name = "Seats"
amount = 30
units = 25
every = "month"
escalation = { uniform = [0.0, 0.1] }
[[benefits]]
name = "Hours"
kind = "efficiency"
hours_saved_per_month = { pert = [20, 60, 120] }
hourly_cost = 50
escalation = { uniform = [-0.04, 0.04] }
[[benefits]]
name = "Leads"
kind = "leads"
extra_leads_per_month = { uniform = [0, 6] }
conversion_rate = { beta = { alpha = 2, beta = 8 } }
deal_value = 3000
[[benefits]]
name = "Churn"
kind = "churn_reduction"
relative_reduction = { pert = [0.0, 0.1, 0.3] }
[[benefits]]
name = "Cross"
kind = "cross_sell"
uplift = { uniform = [0.0, 0.02] }
[[benefits]]
name = "Flat"
kind = "custom"
amount_per_month = { uniform = [100, 400] }
ramps_with_adoption = false
[[benefits]]
name = "Linked"
kind = "custom"
amount_per_year = { uniform = [1000, 9000] }
revenue_linked = true
ramps_with_adoption = false
[[benefits]]
name = "Linked ramp"
kind = "custom"
amount_per_month = { uniform = [50, 300] }
revenue_linked = true
[[shocks]]
name = "Recession"
probability_per_year = 0.3
revenue_loss = { uniform = [0.0, 0.4] }
duration_months = { uniform = [1, 12] }
[[shocks]]
name = "Outage"
probability_per_year = 0.3
benefit_loss = { uniform = [0.1, 1.0] }
duration_months = { uniform = [1, 6] }
cost = { uniform = [0, 5000] }
[[shocks]]
name = "Lost customer"
probability_per_year = 0.05
revenue_loss = 0.2
"#;

    /// The payback read from the monthly sums after the walk, against the
    /// month-by-month rule of docs/scenario-format.md: a month that ends
    /// below zero (or NaN) undoes any earlier crossing, the next crossing
    /// is interpolated inside its month, and the cash fell back when a
    /// month above zero comes before a later one below zero.
    fn payback_month_by_month(cum: &[f64], cf: &[f64]) -> (Option<f64>, bool) {
        let mut payback = (cum[0] >= 0.0).then_some(0.0);
        let (mut in_black, mut fell_back) = (cum[0] > 0.0, false);
        for t in 1..cum.len() {
            if !(cum[t] >= 0.0) {
                payback = None;
                fell_back |= in_black;
            } else if cum[t - 1] < 0.0 {
                payback = Some(((t - 1) as f64 + (-cum[t - 1]) / cf[t]) / 12.0);
            }
            in_black |= cum[t] > 0.0;
        }
        (payback, fell_back)
    }

    proptest::proptest! {
        /// Paths of every length around the blocks of eight months, with
        /// zeros of both signs, NaN, crossings back and forth.
        #[test]
        fn payback_from_the_sums_is_the_month_by_month_rule(
            flows in proptest::collection::vec(
                proptest::prop_oneof![
                    -100.0..100.0f64,
                    proptest::strategy::Just(0.0),
                    proptest::strategy::Just(-0.0),
                    proptest::strategy::Just(f64::NAN),
                ],
                1..40,
            ),
            first in proptest::prop_oneof![-50.0..50.0f64, proptest::strategy::Just(0.0), proptest::strategy::Just(-0.0)],
        ) {
            let mut cf = vec![first];
            cf.extend(&flows);
            let mut cum = vec![first];
            for &f in &flows {
                cum.push(cum[cum.len() - 1] + f);
            }
            let (got, want) = (payback_of(&cum, &cf), payback_month_by_month(&cum, &cf));
            proptest::prop_assert_eq!(got.1, want.1);
            proptest::prop_assert_eq!(got.0.map(f64::to_bits), want.0.map(f64::to_bits));
        }
    }

    /// The walk's variants (no revenue shock, no benefit shock, no
    /// escalation, and their combinations) give the trial, its monthly
    /// path and its items to the bit as the walk with both multipliers:
    /// every bundled scenario, and one made to reach every variant.
    #[test]
    fn every_variant_of_the_walk_gives_the_same_bits() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        // With and without the one escalating benefit.
        let steady = EVERY_VARIANT.replace("escalation = { uniform = [-0.04, 0.04] }\n", "");
        assert_ne!(steady, EVERY_VARIANT);
        let mut scenarios: Vec<Scenario> = [EVERY_VARIANT, &steady]
            .iter()
            .map(|text| {
                Scenario::from_toml(text, Path::new("every-variant.toml"))
                    .expect("the test scenario is valid")
            })
            .collect();
        for entry in std::fs::read_dir(&dir).expect("the bundled scenarios") {
            let path = entry.expect("a directory entry").path();
            if path.extension().is_some_and(|e| e == "toml")
                && let Ok(Some(sc)) = Scenario::load_unless_abstract(&path)
            {
                scenarios.push(sc);
            }
        }
        assert!(scenarios.len() >= 8, "the bundled scenarios are found");
        let mut seen = std::collections::BTreeSet::new();
        for sc in &scenarios {
            let engine = Engine::new(sc, Settings::new(4000, 7, Method::MonteCarlo));
            let mut ts = engine.scratch();
            let (mut fast, mut general) = (sc.model.scratch(), sc.model.scratch());
            general.general = true;
            for trial in 0..4000 {
                engine.trial(trial, &mut ts, |_, _| {});
                let (x, occurrences) = (ts.inputs(), ts.occurrences());
                let (mut a, mut b) = (Vec::new(), Vec::new());
                let got = sc.model.run(x, occurrences, &mut fast, |t, c| a.push((t, c.to_bits())));
                let want = sc.model.run(x, occurrences, &mut general, |t, c| b.push((t, c.to_bits())));
                let what = format!("{} trial {trial}", sc.name);
                assert_eq!(format!("{got:?}"), format!("{want:?}"), "{what}");
                assert_eq!(a, b, "{what}: the monthly path");
                let bits = |s: &Scratch| s.item_totals().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&fast), bits(&general), "{what}: the items");
                seen.insert((
                    occurrences.iter().any(|o| o.hits == Hits::Revenue),
                    occurrences.iter().any(|o| o.hits == Hits::Benefits),
                    fast.growth.iter().any(|&g| g != 1.0),
                ));
            }
        }
        assert_eq!(seen.len(), 8, "every variant is walked: {seen:?}");
    }
}
