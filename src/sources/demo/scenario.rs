//! The scripted incidents the demo plays. Times are seconds into a cycle.

use super::world::SimTime;

/// A named story the demo can play.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// A bad deploy of payments: latency, errors, crash loops, callers failing, rollback.
    BadDeploy,
    /// A node goes NotReady: its pods go with it and their services degrade.
    NodeDown,
}

impl Scenario {
    /// The scenario called `name`.
    pub fn from_name(name: &str) -> Option<Scenario> {
        match name {
            "bad-deploy" => Some(Scenario::BadDeploy),
            "node-down" => Some(Scenario::NodeDown),
            _ => None,
        }
    }

    /// The name users type.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::BadDeploy => "bad-deploy",
            Scenario::NodeDown => "node-down",
        }
    }

    /// What happens, when, and to whom.
    pub fn script(self) -> Script {
        match self {
            Scenario::BadDeploy => Script {
                cycle: 45 * 60,
                opening: 200,
                faults: vec![Fault {
                    service: "payments",
                    cluster: "prod-eu",
                    error_peak: 0.25,
                    latency_factor: 6.0,
                    shape: (60, 240, 900, 1020),
                    crashloop: Some((150, 960)),
                }],
                deploys: vec![
                    ScriptDeploy {
                        service: "payments",
                        cluster: "prod-eu",
                        at: 0,
                        kind: DeployKind::Release,
                        author: "dana",
                    },
                    ScriptDeploy {
                        service: "payments",
                        cluster: "prod-eu",
                        at: 900,
                        kind: DeployKind::Rollback,
                        author: "emeka",
                    },
                ],
                node_down: None,
            },
            Scenario::NodeDown => Script {
                cycle: 45 * 60,
                opening: 150,
                faults: vec![
                    Fault {
                        service: "cart",
                        cluster: "prod-eu",
                        error_peak: 0.07,
                        latency_factor: 2.0,
                        shape: (30, 90, 1200, 1260),
                        crashloop: None,
                    },
                    Fault {
                        service: "search",
                        cluster: "prod-eu",
                        error_peak: 0.02,
                        latency_factor: 3.5,
                        shape: (30, 90, 1200, 1260),
                        crashloop: None,
                    },
                ],
                deploys: Vec::new(),
                node_down: Some(NodeDown {
                    cluster: "prod-eu",
                    node: "ip-10-0-2-14",
                    from: 0,
                    to: 1200,
                    pods_of: &["cart", "search", "recommendations"],
                }),
            },
        }
    }
}

/// One scenario's timeline.
#[derive(Debug, Clone)]
pub struct Script {
    /// The story repeats every `cycle` seconds.
    pub cycle: SimTime,
    /// Where the clock starts within the first cycle.
    pub opening: SimTime,
    pub faults: Vec<Fault>,
    pub deploys: Vec<ScriptDeploy>,
    pub node_down: Option<NodeDown>,
}

impl Script {
    /// True when routine deploys of `service` would muddle the story around `at`.
    pub fn quiet_for(&self, service: &str, cluster: &str, at: SimTime) -> bool {
        at >= -3600
            && self
                .faults
                .iter()
                .any(|f| f.service == service && f.cluster == cluster)
    }
}

/// Something wrong with one service in one cluster.
#[derive(Debug, Clone)]
pub struct Fault {
    pub service: &'static str,
    pub cluster: &'static str,
    /// Extra error ratio at full strength.
    pub error_peak: f64,
    /// Latency multiplier at full strength.
    pub latency_factor: f64,
    /// (starts, full strength, starts easing, gone), seconds into the cycle.
    pub shape: (SimTime, SimTime, SimTime, SimTime),
    /// Pods crash-looping between these moments.
    pub crashloop: Option<(SimTime, SimTime)>,
}

/// A deploy the script performs every cycle.
#[derive(Debug, Clone)]
pub struct ScriptDeploy {
    pub service: &'static str,
    pub cluster: &'static str,
    pub at: SimTime,
    pub kind: DeployKind,
    pub author: &'static str,
}

/// What a scripted deploy ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeployKind {
    /// The next minor version after what runs now.
    Release,
    /// Back to the version that ran before the last release.
    Rollback,
}

/// A node that stops being ready.
#[derive(Debug, Clone)]
pub struct NodeDown {
    pub cluster: &'static str,
    pub node: &'static str,
    pub from: SimTime,
    pub to: SimTime,
    /// Services with a pod on the node.
    pub pods_of: &'static [&'static str],
}

#[cfg(test)]
mod names {
    use super::Scenario;

    #[test]
    fn every_name_config_accepts_is_a_scenario() {
        for name in crate::config::DEMO_SCENARIOS {
            assert!(Scenario::from_name(name).is_some(), "{name}");
        }
    }
}
