//! Rank correlation between inputs through a Gaussian copula.
//!
//! Inputs that the scenario correlates are grouped (connected components of
//! the correlation graph). Per group, the target Spearman rank correlations
//! ρₛ become normal correlations r = 2 sin(π ρₛ / 6) (Pearson, 1907; exact
//! for the Gaussian copula), the matrix is Cholesky-factored once, and each
//! trial maps its independent uniforms u → z = Φ⁻¹(u) → L z → Φ(·). The
//! marginals stay exactly as specified; only the dependence changes. Pairs
//! that the scenario does not name are uncorrelated in the normal space.
//!
//! A matrix that is not positive definite (say a ↔ b 0.9, b ↔ c 0.9,
//! a ↔ c −0.9) has no such copula: that is an error naming the inputs.

use crate::dist::normal::{std_normal_cdf, std_normal_draw};

/// One group of mutually dependent inputs.
#[derive(Debug, Clone)]
pub struct Group {
    /// Input indices, in the order of their paths.
    pub members: Vec<usize>,
    /// Lower-triangular Cholesky factor, row-major, `members.len()²`.
    chol: Vec<f64>,
}

/// The Spearman-to-Pearson conversion of the Gaussian copula.
pub fn normal_correlation(spearman: f64) -> f64 {
    2.0 * (std::f64::consts::PI * spearman / 6.0).sin()
}

/// A correlation structure that has no Gaussian copula.
#[derive(Debug, Clone, PartialEq)]
pub struct NotPositiveDefinite {
    /// Input indices of the inconsistent group.
    pub members: Vec<usize>,
}

/// Groups the pairs `(a, b, spearman)` over `n` inputs and factors each group.
/// Inputs are named by `paths` (indexed like the pairs' input indices).
/// Within a group, inputs are ordered by path, not by their place in the
/// file, so that the draws do not depend on the order of the file: the
/// Cholesky factor is triangular, and the first input of the order keeps its
/// own normal draw.
pub fn build_groups(
    paths: &[&str],
    pairs: &[(usize, usize, f64)],
) -> Result<Vec<Group>, NotPositiveDefinite> {
    let n = paths.len();
    // Union-find over inputs.
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for &(a, b, _) in pairs {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut root_of_group: Vec<usize> = Vec::new();
    let involved: std::collections::BTreeSet<usize> =
        pairs.iter().flat_map(|&(a, b, _)| [a, b]).collect();
    for &i in &involved {
        let r = find(&mut parent, i);
        match root_of_group.iter().position(|&x| x == r) {
            Some(g) => groups[g].push(i),
            None => {
                root_of_group.push(r);
                groups.push(vec![i]);
            }
        }
    }
    for g in &mut groups {
        g.sort_by(|&a, &b| paths[a].cmp(paths[b]).then(a.cmp(&b)));
    }
    groups
        .into_iter()
        .map(|members| {
            let k = members.len();
            let mut m = vec![0.0; k * k];
            for i in 0..k {
                m[i * k + i] = 1.0;
            }
            for &(a, b, rho) in pairs {
                if let (Some(i), Some(j)) = (
                    members.iter().position(|&x| x == a),
                    members.iter().position(|&x| x == b),
                ) {
                    let r = normal_correlation(rho);
                    m[i * k + j] = r;
                    m[j * k + i] = r;
                }
            }
            match cholesky(&m, k) {
                Some(chol) => Ok(Group { members, chol }),
                None => Err(NotPositiveDefinite { members }),
            }
        })
        .collect()
}

/// Cholesky factor of a symmetric k×k matrix, `None` unless positive definite.
fn cholesky(m: &[f64], k: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..=i {
            let s: f64 = (0..j).map(|p| l[i * k + p] * l[j * k + p]).sum();
            if i == j {
                let d = m[i * k + i] - s;
                if !(d > 1e-10) {
                    return None;
                }
                l[i * k + i] = d.sqrt();
            } else {
                l[i * k + j] = (m[i * k + j] - s) / l[j * k + j];
            }
        }
    }
    Some(l)
}

impl Group {
    /// Replaces the members' independent uniforms in `u` (indexed by input)
    /// by correlated ones. `z` is scratch of at least `members.len()`.
    #[inline]
    pub fn apply(&self, u: &mut [f64], z: &mut [f64]) {
        let k = self.members.len();
        for (zi, &m) in z.iter_mut().zip(&self.members) {
            *zi = std_normal_draw(u[m]);
        }
        // The first member's row of the factor is (1, 0, …): its normal is
        // its own, and Φ(Φ⁻¹(u)) = u, so its uniform stays as drawn (exactly,
        // where Φ after the tabulated Φ⁻¹ would move it by about 1e-10).
        for i in 1..k {
            // Results go to `u`, so `z` stays the independent normals.
            let s: f64 = (0..=i).map(|p| self.chol[i * k + p] * z[p]).sum();
            // Φ(s) rounds to 0 or 1 beyond |s| > 8.3 or so; keep u open.
            u[self.members[i]] =
                std_normal_cdf(s).clamp(f64::MIN_POSITIVE, 1.0 - f64::EPSILON / 2.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversion_endpoints() {
        assert!((normal_correlation(1.0) - 1.0).abs() < 1e-12);
        assert!((normal_correlation(0.0)).abs() < 1e-12);
        assert!(
            (normal_correlation(0.5) - 2.0 * (std::f64::consts::PI / 12.0).sin()).abs() < 1e-12
        );
    }

    #[test]
    fn inconsistent_matrix_names_the_group() {
        let err = build_groups(
            &["a", "b", "c", "d"],
            &[(0, 1, 0.9), (1, 2, 0.9), (0, 2, -0.9)],
        )
        .unwrap_err();
        assert_eq!(err.members, vec![0, 1, 2]);
    }

    #[test]
    fn independent_groups() {
        let g = build_groups(&["a", "b", "c", "d", "e"], &[(0, 3, 0.5), (1, 4, -0.3)]).unwrap();
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].members, vec![0, 3]);
        assert_eq!(g[1].members, vec![1, 4]);
    }

    /// The first member keeps its uniform bit for bit (the Cholesky
    /// factor's first row is (1, 0, …), which is what lets it skip
    /// Φ(Φ⁻¹(u))); the others are moved, and stay inside (0, 1).
    #[test]
    fn the_first_member_keeps_its_uniform() {
        let g = build_groups(&["a", "b", "c"], &[(0, 1, 0.6), (1, 2, 0.3)]).unwrap();
        let g = &g[0];
        assert_eq!(g.members, vec![0, 1, 2]);
        assert_eq!(&g.chol[..3], &[1.0, 0.0, 0.0]);
        let mut z = vec![0.0; 3];
        for (a, b, c) in [(0.01, 0.9, 0.5), (0.3, 0.31, 0.99), (1e-300, 0.5, 0.7)] {
            let mut u = vec![a, b, c];
            g.apply(&mut u, &mut z);
            assert_eq!(u[0].to_bits(), f64::to_bits(a));
            assert!(u.iter().all(|&v| v > 0.0 && v < 1.0), "{u:?}");
            assert!(u[1] != b && u[2] != c, "{u:?}");
        }
    }

    #[test]
    fn members_are_ordered_by_path_not_by_file_order() {
        let g = build_groups(&["z.amount", "a.amount"], &[(0, 1, 0.5)]).unwrap();
        assert_eq!(g[0].members, vec![1, 0]);
    }
}
