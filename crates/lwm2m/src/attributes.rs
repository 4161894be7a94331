//! Notification attributes of Write-Attributes (LwM2M 1.1 TS Core §5.1.2): pmin, pmax, gt,
//! lt and st, set per object, instance or resource; the deepest level that sets one wins.

use core::fmt;

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct NotificationAttributes {
    /// Seconds that must pass between two notifications.
    pub pmin: Option<u32>,
    /// Seconds after which a notification goes out even without a change.
    pub pmax: Option<u32>,
    /// Notify when a numeric value crosses above this.
    pub gt: Option<f64>,
    /// Notify when a numeric value crosses below this.
    pub lt: Option<f64>,
    /// Notify when a numeric value moved at least this much since the last notification.
    pub st: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttributeError(pub String);

impl fmt::Display for AttributeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl NotificationAttributes {
    /// Applies Write-Attributes queries such as `pmin=10` or `gt=3.5`; a name without a value
    /// removes that attribute.
    pub fn apply(&mut self, queries: &[String]) -> Result<(), AttributeError> {
        let mut next = *self;
        for q in queries {
            let (name, value) = match q.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (q.as_str(), None),
            };
            let bad = |what: &str| {
                AttributeError(format!("{name}={} is not {what}", value.unwrap_or("")))
            };
            match name {
                "pmin" | "pmax" => {
                    let v = value
                        .map(|v| {
                            v.parse::<u32>()
                                .map_err(|_| bad("a whole number of seconds"))
                        })
                        .transpose()?;
                    if name == "pmin" {
                        next.pmin = v
                    } else {
                        next.pmax = v
                    }
                }
                "gt" | "lt" | "st" => {
                    let v = value
                        .map(|v| {
                            v.parse::<f64>()
                                .ok()
                                .filter(|f| f.is_finite())
                                .ok_or_else(|| bad("a number"))
                        })
                        .transpose()?;
                    match name {
                        "gt" => next.gt = v,
                        "lt" => next.lt = v,
                        _ => next.st = v.map(f64::abs),
                    }
                }
                other => {
                    return Err(AttributeError(format!(
                        "{other} is not a notification attribute"
                    )))
                }
            }
        }
        if let (Some(min), Some(max)) = (next.pmin, next.pmax) {
            if max < min {
                return Err(AttributeError(format!("pmax {max} is below pmin {min}")));
            }
        }
        if let (Some(lt), Some(gt)) = (next.lt, next.gt) {
            if lt >= gt && next.st.is_some_and(|st| lt + 2.0 * st >= gt) {
                return Err(AttributeError("lt + 2*st must stay below gt".into()));
            }
        }
        *self = next;
        Ok(())
    }

    /// `self` with every attribute it leaves unset taken from `parent`.
    pub fn over(self, parent: NotificationAttributes) -> NotificationAttributes {
        NotificationAttributes {
            pmin: self.pmin.or(parent.pmin),
            pmax: self.pmax.or(parent.pmax),
            gt: self.gt.or(parent.gt),
            lt: self.lt.or(parent.lt),
            st: self.st.or(parent.st),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == NotificationAttributes::default()
    }

    /// The attributes as link-format parameters, for Discover.
    pub fn link_params(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut add = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                out.push((k.to_string(), v));
            }
        };
        add("pmin", self.pmin.map(|v| v.to_string()));
        add("pmax", self.pmax.map(|v| v.to_string()));
        add("gt", self.gt.map(|v| v.to_string()));
        add("lt", self.lt.map(|v| v.to_string()));
        add("st", self.st.map(|v| v.to_string()));
        out
    }

    /// Whether a numeric change from `last` to `now` is worth a notification under gt, lt and
    /// st (true when none is set).
    pub fn worth_notifying(&self, last: f64, now: f64) -> bool {
        if self.gt.is_none() && self.lt.is_none() && self.st.is_none() {
            return true;
        }
        let crossed = |edge: f64| (last <= edge) != (now <= edge);
        self.gt.is_some_and(crossed)
            || self.lt.is_some_and(crossed)
            || self.st.is_some_and(|st| (now - last).abs() >= st)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn apply_set_and_remove() {
        let mut a = NotificationAttributes::default();
        a.apply(&q(&["pmin=10", "pmax=60", "gt=-50.5"])).unwrap();
        assert_eq!((a.pmin, a.pmax, a.gt), (Some(10), Some(60), Some(-50.5)));
        a.apply(&q(&["pmax"])).unwrap();
        assert_eq!(a.pmax, None);
        assert_eq!(
            a.link_params(),
            vec![("pmin".into(), "10".into()), ("gt".into(), "-50.5".into())]
        );
    }

    #[test]
    fn bad_values_change_nothing() {
        let mut a = NotificationAttributes::default();
        a.apply(&q(&["pmin=5"])).unwrap();
        assert!(a.apply(&q(&["pmin=x"])).is_err());
        assert!(a.apply(&q(&["pmax=2"])).is_err(), "pmax below pmin");
        assert!(a.apply(&q(&["colour=1"])).is_err());
        assert!(a.apply(&q(&["gt=NaN"])).is_err());
        assert_eq!(a.pmin, Some(5));
    }

    #[test]
    fn deeper_levels_win_and_thresholds_decide() {
        let object = NotificationAttributes {
            pmin: Some(30),
            pmax: Some(300),
            ..Default::default()
        };
        let resource = NotificationAttributes {
            pmin: Some(0),
            ..Default::default()
        };
        let e = resource.over(object);
        assert_eq!((e.pmin, e.pmax), (Some(0), Some(300)));
        let t = NotificationAttributes {
            gt: Some(-80.0),
            ..Default::default()
        };
        assert!(t.worth_notifying(-90.0, -70.0));
        assert!(!t.worth_notifying(-75.0, -70.0));
        let s = NotificationAttributes {
            st: Some(5.0),
            ..Default::default()
        };
        assert!(s.worth_notifying(10.0, 15.0) && !s.worth_notifying(10.0, 14.0));
    }
}
