//! Globs for stack and target names in scenarios: `*` any run, `?` one character.

/// Whether `name` matches `pattern`. Iterative, with one backtrack point per `*` run, so
/// linear-time in practice whatever the pattern.
pub(crate) fn glob(pattern: &[u8], name: &[u8]) -> bool {
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, n));
                p += 1;
            }
            Some(c) if *c == b'?' || *c == name[n] => {
                p += 1;
                n += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    p = sp + 1;
                    n = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|c| *c == b'*')
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs_match_names() {
        assert!(glob(b"lb_*", b"lb_1"));
        assert!(glob(b"*_?", b"port_a"));
        assert!(!glob(b"lb_*", b"port_1"));
        assert!(glob(b"exact", b"exact"));
    }

    #[test]
    fn many_stars_stay_fast() {
        let name = vec![b'a'; 200];
        assert!(!glob(b"*a*a*a*a*a*a*a*a*a*a*b", &name));
        assert!(glob(b"*a*a*", &name));
        assert!(glob(b"", b""));
        assert!(!glob(b"", b"a"));
    }
}
