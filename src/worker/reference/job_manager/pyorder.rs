//! CPython 2.7 iteration order of a `dict` or `set` of strings (ESI-SPEC §1.2): the recorded
//! job manager built `params` from a dict of the mapping names and `dependency` from a set of
//! job ids, so both lists come out in hash-table order. This ports the 2.7 string hash
//! (no hash randomisation, 64-bit build) and the open-addressing probe and resize rules that
//! `dictobject.c` and `setobject.c` share for string keys.

/// The smallest table (`PyDict_MINSIZE`, `PySet_MINSIZE`).
const MIN_SIZE: usize = 8;
/// `PERTURB_SHIFT`.
const PERTURB_SHIFT: u32 = 5;

/// `keys` (inserted in this order, duplicates ignored) in the order a CPython 2.7 dict or set
/// iterates them.
pub(crate) fn iteration_order<S: AsRef<str>>(keys: &[S]) -> Vec<usize> {
    let hashes: Vec<u64> = keys.iter().map(|k| hash(k.as_ref()) as u64).collect();
    let mut table: Vec<Option<usize>> = vec![None; MIN_SIZE];
    let mut used = 0usize;
    for (index, key) in keys.iter().enumerate() {
        let slot = probe(&table, hashes[index], |other| {
            keys[other].as_ref() == key.as_ref()
        });
        if table[slot].is_some() {
            continue;
        }
        table[slot] = Some(index);
        used += 1;
        // Only insertions happen here, so `fill == used`.
        if used * 3 >= table.len() * 2 {
            let minused = if used > 50_000 { used * 2 } else { used * 4 };
            let mut size = MIN_SIZE;
            while size <= minused {
                size <<= 1;
            }
            let old = std::mem::replace(&mut table, vec![None; size]);
            for entry in old.into_iter().flatten() {
                let slot = probe(&table, hashes[entry], |_| false);
                table[slot] = Some(entry);
            }
        }
    }
    table.into_iter().flatten().collect()
}

/// `keys` reordered as a CPython 2.7 dict or set of them iterates.
pub(crate) fn ordered<S: AsRef<str> + Clone>(keys: &[S]) -> Vec<S> {
    iteration_order(keys)
        .into_iter()
        .map(|i| keys[i].clone())
        .collect()
}

/// The slot where a key with `hash` lives or would be inserted (`lookdict_string`).
fn probe(table: &[Option<usize>], hash: u64, same: impl Fn(usize) -> bool) -> usize {
    let mask = (table.len() - 1) as u64;
    let mut i = hash & mask;
    let found = |i: u64| match table[(i & mask) as usize] {
        None => true,
        Some(entry) => same(entry),
    };
    if found(i) {
        return (i & mask) as usize;
    }
    let mut perturb = hash;
    loop {
        i = (i << 2)
            .wrapping_add(i)
            .wrapping_add(perturb)
            .wrapping_add(1);
        if found(i) {
            return (i & mask) as usize;
        }
        perturb >>= PERTURB_SHIFT;
    }
}

/// CPython 2.7's `unicode_hash` / `string_hash` with `_Py_HashSecret` zero.
fn hash(s: &str) -> i64 {
    let units: Vec<i64> = s.chars().map(|c| i64::from(u32::from(c))).collect();
    let Some(first) = units.first() else {
        return 0;
    };
    let mut x: i64 = first << 7;
    for unit in &units {
        x = x.wrapping_mul(1_000_003) ^ unit;
    }
    x ^= units.len() as i64;
    if x == -1 { -2 } else { x }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping_names_come_out_in_the_recorded_params_order() {
        // network template (config.w L8), keys inserted sorted as Go wrote them.
        let mut names = vec!["admin_state_up", "heat_timeout", "name", "uuid"];
        names.sort();
        assert_eq!(
            ordered(&names),
            ["uuid", "heat_timeout", "name", "admin_state_up"]
        );
        // load_balancer template: ESI-SPEC §2.5.
        let mut names = vec![
            "gohan_id",
            "heat_timeout",
            "jinja_force_dependency",
            "management_ip",
            "tenant_id",
            "version",
        ];
        names.sort();
        assert_eq!(
            ordered(&names),
            [
                "jinja_force_dependency",
                "tenant_id",
                "management_ip",
                "heat_timeout",
                "version",
                "gohan_id"
            ]
        );
    }

    #[test]
    fn duplicates_are_kept_once() {
        assert_eq!(ordered(&["a", "b", "a"]).len(), 2);
    }

    #[test]
    fn hash_matches_cpython_27() {
        // python2 -c 'print hash("a"), hash("abc"), hash(u"jinja_subnets")'
        assert_eq!(hash("a"), 12_416_037_344);
        assert_eq!(hash("abc"), 1_453_079_729_188_098_211);
        assert_eq!(hash("jinja_subnets"), -8_572_469_970_545_838_434);
        assert_eq!(hash(""), 0);
    }
}
