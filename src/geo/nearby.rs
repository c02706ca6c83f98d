//! "Nearby signs": for every located sign, the closest other signs, with distances.
//!
//! Points are sorted by latitude and each search walks outwards until the latitude gap
//! alone exceeds the k-th best distance, so 10,000 signs take milliseconds, not the
//! hundred million distance computations of comparing every pair.

use super::locate::distance_km;

/// For each point (`None` = no location), up to `k` `(index, km)` of the nearest other
/// located points, nearest first; ties broken by index so the result is stable.
pub(crate) fn nearest(points: &[Option<(f64, f64)>], k: usize) -> Vec<Vec<(usize, f64)>> {
    let mut order: Vec<usize> = (0..points.len()).filter(|&i| points[i].is_some()).collect();
    order.sort_by(|&a, &b| {
        points[a]
            .unwrap()
            .0
            .total_cmp(&points[b].unwrap().0)
            .then(a.cmp(&b))
    });
    let mut out = vec![Vec::new(); points.len()];
    if k == 0 {
        return out;
    }
    for (pos, &i) in order.iter().enumerate() {
        let (lat, lon) = points[i].unwrap();
        let mut best: Vec<(usize, f64)> = Vec::with_capacity(k + 1);
        let worst = |best: &Vec<(usize, f64)>| {
            if best.len() < k {
                f64::INFINITY
            } else {
                best[k - 1].1
            }
        };
        let consider = |j: usize, best: &mut Vec<(usize, f64)>| {
            let (la, lo) = points[j].unwrap();
            let d = distance_km(lat, lon, la, lo);
            let at = best.partition_point(|&(bj, bd)| bd < d || (bd == d && bj < j));
            if at < k {
                best.insert(at, (j, d));
                best.truncate(k);
            }
        };
        // One degree of latitude is about 111.2 km everywhere.
        let (mut up, mut down) = (pos + 1, pos);
        loop {
            let limit = worst(&best);
            let up_ok =
                up < order.len() && (points[order[up]].unwrap().0 - lat).abs() * 111.19 <= limit;
            let down_ok =
                down > 0 && (lat - points[order[down - 1]].unwrap().0).abs() * 111.19 <= limit;
            if !up_ok && !down_ok {
                break;
            }
            if up_ok {
                consider(order[up], &mut best);
                up += 1;
            }
            if down_ok {
                consider(order[down - 1], &mut best);
                down -= 1;
            }
        }
        out[i] = best;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_brute_force() {
        // A deterministic scatter over the globe, with a few unlocated points.
        let mut seed = 7u64;
        let mut rnd = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as f64 / (1u64 << 31) as f64
        };
        let points: Vec<Option<(f64, f64)>> = (0..400)
            .map(|i| (i % 17 != 0).then(|| (rnd() * 170.0 - 85.0, rnd() * 360.0 - 180.0)))
            .collect();
        let fast = nearest(&points, 6);
        for (i, p) in points.iter().enumerate() {
            let Some((la, lo)) = p else {
                assert!(fast[i].is_empty());
                continue;
            };
            let mut all: Vec<(usize, f64)> = points
                .iter()
                .enumerate()
                .filter(|(j, q)| *j != i && q.is_some())
                .map(|(j, q)| (j, distance_km(*la, *lo, q.unwrap().0, q.unwrap().1)))
                .collect();
            all.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            all.truncate(6);
            assert_eq!(fast[i], all, "point {i}");
        }
    }

    #[test]
    fn a_lone_sign_has_no_neighbours() {
        assert_eq!(nearest(&[Some((1.0, 2.0)), None], 6), vec![vec![], vec![]]);
    }
}
