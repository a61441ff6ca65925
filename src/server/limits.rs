//! How much of the owner one client, or one Unix user, may hold. The owner
//! serves every operator of the site; a script gone wrong (or a hostile one)
//! opening connections by the thousand must be refused early and cheaply, with
//! a reason, and never take the desk down for everyone else.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use crate::domain::Refusal;
use crate::error::DeskError;

/// Connections served at once, in all (a site has a few dozen screens).
pub const MAX_CONNECTIONS: usize = 256;
/// Connections served at once for one Unix user.
pub const MAX_PER_USER: usize = 64;
/// A client has this long, in all, to say hello.
pub const HELLO_DEADLINE: Duration = Duration::from_secs(10);
/// File descriptors kept free for the store, the log and operators.toml, so
/// that a full house of clients never makes the desk itself fail to open a file.
const FDS_RESERVED: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub connections: usize,
    pub per_user: usize,
    /// The total time a new connection has for its hello (not per read).
    pub hello: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            connections: MAX_CONNECTIONS,
            per_user: MAX_PER_USER,
            hello: HELLO_DEADLINE,
        }
    }
}

impl Limits {
    /// These limits within what the process may open: the soft limit on open
    /// files is raised to the hard one, and connections are capped below it.
    pub fn fitted_to_open_files(self) -> Limits {
        let Some(fds) = raise_open_files() else {
            return self;
        };
        let reserve = FDS_RESERVED.min(fds / 4);
        let connections = self.connections.min(fds.saturating_sub(reserve)).max(1);
        Limits {
            connections,
            per_user: self.per_user.min(connections),
            ..self
        }
    }
}

/// The soft RLIMIT_NOFILE after raising it as far as allowed, if known.
fn raise_open_files() -> Option<usize> {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit read and write the struct we own.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } != 0 {
        return None;
    }
    if lim.rlim_cur < lim.rlim_max {
        let raised = libc::rlimit {
            rlim_cur: lim.rlim_max,
            rlim_max: lim.rlim_max,
        };
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            lim = raised;
        }
    }
    Some(usize::try_from(lim.rlim_cur).unwrap_or(usize::MAX))
}

/// The connections being served, in all and per Unix user (by uid).
#[derive(Default)]
pub struct Admissions {
    by_uid: Mutex<HashMap<u32, usize>>,
}

impl Admissions {
    /// Counts a new connection of `uid` in, or says why it is refused.
    pub fn admit(&self, limits: &Limits, uid: u32, user: &str) -> Result<(), DeskError> {
        let mut map = self
            .by_uid
            .lock()
            .map_err(|_| DeskError::Internal("the connection count was poisoned".into()))?;
        let total: usize = map.values().sum();
        let mine = map.get(&uid).copied().unwrap_or(0);
        if mine >= limits.per_user {
            return Err(DeskError::Refused(Refusal::TooManyConnectionsOfUser {
                user: user.to_string(),
                count: mine,
            }));
        }
        if total >= limits.connections {
            return Err(DeskError::Refused(Refusal::TooManyConnections {
                count: total,
            }));
        }
        *map.entry(uid).or_insert(0) += 1;
        Ok(())
    }

    /// Counts a connection of `uid` out.
    pub fn left(&self, uid: u32) {
        if let Ok(mut map) = self.by_uid.lock() {
            if let Some(n) = map.get_mut(&uid) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    map.remove(&uid);
                }
            }
        }
    }

    pub fn total(&self) -> usize {
        self.by_uid.lock().map(|m| m.values().sum()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_are_refused_past_the_user_and_the_total_limit_with_the_reason() {
        let limits = Limits {
            connections: 3,
            per_user: 2,
            hello: HELLO_DEADLINE,
        };
        let a = Admissions::default();
        a.admit(&limits, 1000, "chen").unwrap();
        a.admit(&limits, 1000, "chen").unwrap();
        let e = a.admit(&limits, 1000, "chen").unwrap_err().to_string();
        assert!(
            e.contains("already serves 2 connections from user chen"),
            "{e}"
        );
        a.admit(&limits, 1001, "li").unwrap();
        let e = a.admit(&limits, 1002, "zhao").unwrap_err().to_string();
        assert!(e.contains("already serves 3 connections (the most"), "{e}");
        a.left(1000);
        a.admit(&limits, 1002, "zhao").unwrap();
        assert_eq!(a.total(), 3);
    }
}
