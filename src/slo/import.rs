//! SLOs from YAML written for other tools: Sloth specs (`version: prometheus/v1`, and
//! the `PrometheusServiceLevel` Kubernetes resource) and OpenSLO v1 (`kind: SLO`, with
//! an inline indicator or one referring to a `kind: SLI` in the same file).
//!
//! Fields clops does not use (alerting, descriptions) are ignored, since these files are
//! written for, and checked by, their own tools. Errors name the file, line and key.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::Duration;
use serde::Deserialize;

use crate::config::ConfigError;
use crate::text::clean_line;
use crate::text::time::parse_window;

use super::burn::Objective;
use super::spec::{Indicator, SloDef, has_placeholder};

/// Every SLO in the YAML `text` of `file` (one or more documents), measured on
/// `source`. `window` applies where the file does not give one (Sloth never does).
pub fn parse(
    file: &Path,
    text: &str,
    source: &str,
    window: Duration,
) -> Result<Vec<SloDef>, ConfigError> {
    let starts = document_starts(text);
    let ctx = |doc: usize| Ctx {
        file,
        text,
        from_line: starts.get(doc).copied().unwrap_or(1),
        source,
        window,
    };
    // First what each document is, then the document read as that.
    let mut heads = Vec::new();
    for (doc, de) in yaml_serde::Deserializer::from_str(text).enumerate() {
        let value = yaml_serde::Value::deserialize(de).map_err(|e| ctx(doc).yaml_error(&e))?;
        // An empty document (a stray `---` at the end) defines nothing.
        let head = if value.is_null() {
            None
        } else {
            Some(yaml_serde::from_value::<Head>(value).map_err(|e| ctx(doc).yaml_error(&e))?)
        };
        heads.push(head);
    }
    let mut slis: BTreeMap<String, Indicator> = BTreeMap::new();
    let mut pending = Vec::new();
    let mut defs = Vec::new();
    for (doc, (de, head)) in yaml_serde::Deserializer::from_str(text)
        .zip(&heads)
        .enumerate()
    {
        let c = ctx(doc);
        let Some(head) = head else { continue };
        match head.kind_of() {
            Kind::Sloth => {
                let spec = SlothSpec::deserialize(de).map_err(|e| c.yaml_error(&e))?;
                defs.extend(c.sloth(&spec.service, &spec.labels, &spec.slos)?);
            }
            Kind::SlothResource => {
                let res = SlothResource::deserialize(de).map_err(|e| c.yaml_error(&e))?;
                let spec = &res.spec;
                defs.extend(c.sloth(&spec.service, &spec.labels, &spec.slos)?);
            }
            Kind::OpenSloSli => {
                let sli = OpenSloSli::deserialize(de).map_err(|e| c.yaml_error(&e))?;
                slis.insert(sli.metadata.name, c.openslo_indicator(&sli.spec)?);
            }
            Kind::OpenSloSlo => {
                let slo = OpenSloSlo::deserialize(de).map_err(|e| c.yaml_error(&e))?;
                // An indicatorRef may name an SLI defined further down the file.
                pending.push((doc, slo));
            }
            Kind::OpenSloOther => {}
            Kind::Unknown(what) => {
                return Err(c.error(
                    c.from_line,
                    "",
                    format!(
                        "{what} is neither a Sloth spec (version: prometheus/v1, or kind: \
                         PrometheusServiceLevel) nor OpenSLO v1 (apiVersion: openslo/v1)"
                    ),
                ));
            }
        }
    }
    for (doc, slo) in pending {
        defs.extend(ctx(doc).openslo(&slo, &slis)?);
    }
    Ok(defs)
}

/// What a document says it is.
#[derive(Deserialize)]
struct Head {
    version: Option<String>,
    #[serde(rename = "apiVersion")]
    api_version: Option<String>,
    kind: Option<String>,
}

enum Kind {
    Sloth,
    SlothResource,
    OpenSloSlo,
    OpenSloSli,
    /// OpenSLO documents that define no SLO (Service, AlertPolicy, …).
    OpenSloOther,
    Unknown(String),
}

impl Head {
    fn kind_of(&self) -> Kind {
        let kind = self.kind.as_deref().unwrap_or("");
        match (self.version.as_deref(), self.api_version.as_deref()) {
            (Some("prometheus/v1"), _) => Kind::Sloth,
            (_, Some(api)) if api.starts_with("sloth.slok.dev/") => {
                if kind == "PrometheusServiceLevel" {
                    Kind::SlothResource
                } else {
                    Kind::Unknown(format!("kind `{kind}` of {api}"))
                }
            }
            (_, Some("openslo/v1")) => match kind {
                "SLO" => Kind::OpenSloSlo,
                "SLI" => Kind::OpenSloSli,
                _ => Kind::OpenSloOther,
            },
            (Some(v), _) => Kind::Unknown(format!("`version: {v}`")),
            (_, Some(api)) => Kind::Unknown(format!("`apiVersion: {api}`")),
            (None, None) => Kind::Unknown("a document without `version` or `apiVersion`".into()),
        }
    }
}

#[derive(Deserialize)]
struct SlothSpec {
    service: String,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    slos: Vec<SlothSlo>,
}

#[derive(Deserialize)]
struct SlothResource {
    spec: SlothSpec,
}

#[derive(Deserialize)]
struct SlothSlo {
    name: String,
    objective: f64,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    sli: SlothSli,
}

#[derive(Deserialize)]
struct SlothSli {
    events: Option<SlothEvents>,
    raw: Option<SlothRaw>,
    plugin: Option<yaml_serde::Value>,
}

#[derive(Deserialize)]
struct SlothEvents {
    #[serde(alias = "errorQuery")]
    error_query: String,
    #[serde(alias = "totalQuery")]
    total_query: String,
}

#[derive(Deserialize)]
struct SlothRaw {
    #[serde(alias = "errorRatioQuery")]
    error_ratio_query: String,
}

#[derive(Deserialize)]
struct Metadata {
    name: String,
}

#[derive(Deserialize)]
struct OpenSloSli {
    metadata: Metadata,
    spec: OpenSloSliSpec,
}

#[derive(Deserialize, Clone)]
struct OpenSloSliSpec {
    #[serde(rename = "ratioMetric")]
    ratio_metric: Option<RatioMetric>,
    #[serde(rename = "thresholdMetric")]
    threshold_metric: Option<yaml_serde::Value>,
}

#[derive(Deserialize, Clone)]
struct RatioMetric {
    good: Option<MetricSpec>,
    bad: Option<MetricSpec>,
    total: Option<MetricSpec>,
    raw: Option<MetricSpec>,
}

#[derive(Deserialize, Clone)]
struct MetricSpec {
    #[serde(rename = "metricSource")]
    metric_source: MetricSource,
}

#[derive(Deserialize, Clone)]
struct MetricSource {
    #[serde(rename = "type", default)]
    kind: String,
    spec: BTreeMap<String, yaml_serde::Value>,
}

#[derive(Deserialize)]
struct OpenSloSlo {
    metadata: Metadata,
    spec: OpenSloSloSpec,
}

#[derive(Deserialize)]
struct OpenSloSloSpec {
    service: String,
    indicator: Option<OpenSloSli>,
    #[serde(rename = "indicatorRef")]
    indicator_ref: Option<String>,
    #[serde(rename = "timeWindow", default)]
    time_window: Vec<TimeWindow>,
    #[serde(rename = "budgetingMethod")]
    budgeting_method: String,
    objectives: Vec<OpenSloObjective>,
}

#[derive(Deserialize)]
struct TimeWindow {
    duration: String,
    #[serde(rename = "isRolling", default)]
    is_rolling: bool,
}

#[derive(Deserialize)]
struct OpenSloObjective {
    #[serde(rename = "displayName")]
    display_name: Option<String>,
    target: Option<f64>,
    #[serde(rename = "targetPercent")]
    target_percent: Option<f64>,
}

/// Where errors point: the file, its text, and the first line of the document.
struct Ctx<'a> {
    file: &'a Path,
    text: &'a str,
    from_line: usize,
    source: &'a str,
    window: Duration,
}

impl Ctx<'_> {
    fn error(&self, line: usize, key: &str, message: String) -> ConfigError {
        ConfigError {
            file: self.file.to_path_buf(),
            line,
            key: key.to_string(),
            message,
        }
    }

    /// A serde error, split into its key path and its message. Its line counts from
    /// the top of the file.
    fn yaml_error(&self, e: &yaml_serde::Error) -> ConfigError {
        let line = e.location().map_or(0, |l| l.line());
        let mut message = e.to_string();
        if let Some(at) = message.rfind(" at line ") {
            message.truncate(at);
        }
        // "slos[0].objective: invalid type: …" when the problem is inside the document.
        let (key, message) = match message.split_once(": ") {
            Some((path, rest)) if !path.contains(' ') => (clean_line(path), rest.to_string()),
            _ => (String::new(), message),
        };
        self.error(line, &key, message)
    }

    /// The line where `key` (its last part) is written, searching from `from`.
    fn line_of(&self, from: usize, key: &str) -> usize {
        let last = key.rsplit('.').next().unwrap_or(key);
        let last = last.split('[').next().unwrap_or(last);
        self.text
            .lines()
            .enumerate()
            .skip(from.saturating_sub(1))
            .find(|(_, l)| {
                let l = l.trim_start().trim_start_matches("- ").trim_start();
                l.strip_prefix(last)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            })
            .map_or(from, |(n, _)| n + 1)
    }

    /// The line of the list entry whose `name:` is `name`.
    fn line_of_named(&self, name: &str) -> usize {
        self.text
            .lines()
            .enumerate()
            .skip(self.from_line.saturating_sub(1))
            .find(|(_, l)| {
                let l = l.trim_start().trim_start_matches("- ").trim_start();
                l.strip_prefix("name:")
                    .is_some_and(|v| v.trim().trim_matches(|c| c == '"' || c == '\'') == name)
            })
            .map_or(self.from_line, |(n, _)| n + 1)
    }

    fn located(&self, from: usize, key: String, message: String) -> ConfigError {
        self.error(self.line_of(from, &key), &key, message)
    }

    fn sloth(
        &self,
        service: &str,
        labels: &BTreeMap<String, String>,
        slos: &[SlothSlo],
    ) -> Result<Vec<SloDef>, ConfigError> {
        let mut defs = Vec::new();
        for (i, slo) in slos.iter().enumerate() {
            let at = self.line_of_named(&slo.name);
            let key = |k: &str| format!("slos[{i}].{k}");
            let objective = Objective::new(slo.objective, self.window)
                .map_err(|e| self.located(at, key("objective"), e.to_string()))?;
            let indicator = match (&slo.sli.events, &slo.sli.raw, &slo.sli.plugin) {
                (Some(ev), None, None) => {
                    for (field, q) in [
                        ("error_query", &ev.error_query),
                        ("total_query", &ev.total_query),
                    ] {
                        self.needs_window(at, key(&format!("sli.events.{field}")), q)?;
                    }
                    Indicator::Events {
                        errors: ev.error_query.clone(),
                        total: ev.total_query.clone(),
                    }
                }
                (None, Some(raw), None) => {
                    self.needs_window(
                        at,
                        key("sli.raw.error_ratio_query"),
                        &raw.error_ratio_query,
                    )?;
                    Indicator::Ratio(raw.error_ratio_query.clone())
                }
                (None, None, Some(_)) => {
                    return Err(self.located(
                        at,
                        key("sli.plugin"),
                        "Sloth SLI plugins cannot be read by clops; use `events` or `raw`".into(),
                    ));
                }
                _ => {
                    return Err(self.located(
                        at,
                        key("sli"),
                        "give exactly one of `events` and `raw`".into(),
                    ));
                }
            };
            let mut all_labels = labels.clone();
            all_labels.extend(slo.labels.clone());
            defs.push(SloDef {
                // Sloth's own id for the SLO, which its recording rules carry as sloth_id.
                name: format!("{service}-{}", slo.name),
                service: service.to_string(),
                objective,
                source: self.source.to_string(),
                indicator,
                labels: all_labels,
                origin: self.file.display().to_string(),
            });
        }
        Ok(defs)
    }

    fn needs_window(&self, at: usize, key: String, query: &str) -> Result<(), ConfigError> {
        if has_placeholder(query) {
            return Ok(());
        }
        Err(self.located(
            at,
            key,
            "the query has no {{.window}} placeholder for the window to measure over, as in \
             rate(x[{{.window}}])"
                .into(),
        ))
    }

    fn openslo(
        &self,
        slo: &OpenSloSlo,
        slis: &BTreeMap<String, Indicator>,
    ) -> Result<Vec<SloDef>, ConfigError> {
        let spec = &slo.spec;
        let from = self.from_line;
        if spec.budgeting_method != "Occurrences" {
            return Err(self.located(
                from,
                "spec.budgetingMethod".into(),
                format!(
                    "budgeting method `{}` cannot be measured by clops; only Occurrences",
                    spec.budgeting_method
                ),
            ));
        }
        let window = match spec.time_window.as_slice() {
            [] => self.window,
            [tw] if tw.is_rolling => parse_window(&tw.duration).map_err(|e| {
                self.located(from, "spec.timeWindow[0].duration".into(), e.to_string())
            })?,
            [_] => {
                return Err(self.located(
                    from,
                    "spec.timeWindow[0].isRolling".into(),
                    "calendar-aligned windows cannot be measured by clops; use a rolling window"
                        .into(),
                ));
            }
            _ => {
                return Err(self.located(
                    from,
                    "spec.timeWindow".into(),
                    "give one time window".into(),
                ));
            }
        };
        let indicator = match (&spec.indicator, &spec.indicator_ref) {
            (Some(inline), None) => self.openslo_indicator(&inline.spec)?,
            (None, Some(name)) => slis.get(name).cloned().ok_or_else(|| {
                self.located(
                    from,
                    "spec.indicatorRef".into(),
                    format!("no `kind: SLI` named `{name}` in this file"),
                )
            })?,
            _ => {
                return Err(self.located(
                    from,
                    "spec.indicator".into(),
                    "give `indicator` or `indicatorRef`".into(),
                ));
            }
        };
        let mut defs = Vec::new();
        let many = spec.objectives.len() > 1;
        for (i, o) in spec.objectives.iter().enumerate() {
            let key = format!("spec.objectives[{i}]");
            let target = match (o.target_percent, o.target) {
                (Some(p), _) => p,
                // 0.999 → 99.9, without 99.90000000000001.
                (None, Some(t)) => (t * 1e8).round() / 1e6,
                (None, None) => {
                    return Err(self.located(
                        from,
                        format!("{key}.target"),
                        "give `target` (0.999) or `targetPercent` (99.9)".into(),
                    ));
                }
            };
            let objective = Objective::new(target, window)
                .map_err(|e| self.located(from, format!("{key}.target"), e.to_string()))?;
            let name = match (&o.display_name, many) {
                (_, false) => slo.metadata.name.clone(),
                (Some(d), true) => format!("{}-{}", slo.metadata.name, d.replace(' ', "-")),
                (None, true) => format!("{}-{i}", slo.metadata.name),
            };
            defs.push(SloDef {
                name,
                service: spec.service.clone(),
                objective,
                source: self.source.to_string(),
                indicator: indicator.clone(),
                labels: BTreeMap::new(),
                origin: self.file.display().to_string(),
            });
        }
        Ok(defs)
    }

    fn openslo_indicator(&self, sli: &OpenSloSliSpec) -> Result<Indicator, ConfigError> {
        let from = self.from_line;
        let Some(ratio) = &sli.ratio_metric else {
            let what = if sli.threshold_metric.is_some() {
                "threshold metrics cannot be measured by clops; use a ratioMetric"
            } else {
                "the indicator has no ratioMetric"
            };
            return Err(self.located(from, "ratioMetric".into(), what.into()));
        };
        let query = |field: &str, m: &MetricSpec| -> Result<String, ConfigError> {
            let key = format!("ratioMetric.{field}.metricSource");
            if !m.metric_source.kind.eq_ignore_ascii_case("prometheus") {
                return Err(self.located(
                    from,
                    format!("{key}.type"),
                    format!(
                        "metric source type `{}` cannot be queried by clops; only Prometheus",
                        m.metric_source.kind
                    ),
                ));
            }
            let q = m
                .metric_source
                .spec
                .get("query")
                .and_then(|v| v.as_str())
                .ok_or_else(|| {
                    self.located(
                        from,
                        format!("{key}.spec"),
                        "give the PromQL as `query`".into(),
                    )
                })?;
            self.needs_window(from, format!("{key}.spec.query"), q)?;
            Ok(q.to_string())
        };
        match (&ratio.good, &ratio.bad, &ratio.total, &ratio.raw) {
            (None, Some(bad), Some(total), None) => Ok(Indicator::Events {
                errors: query("bad", bad)?,
                total: query("total", total)?,
            }),
            (Some(good), None, Some(total), None) => Ok(Indicator::Ratio(format!(
                "1 - ({}) / ({})",
                query("good", good)?,
                query("total", total)?
            ))),
            _ => Err(self.located(
                from,
                "ratioMetric".into(),
                "give `total` with one of `good` and `bad` (raw ratios cannot be read)".into(),
            )),
        }
    }
}

/// The first line of each YAML document in `text` (1-based).
fn document_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut in_doc = false;
    for (n, line) in text.lines().enumerate() {
        let t = line.trim_end();
        if t == "---" || t.starts_with("--- ") {
            starts.push(n + 2);
            in_doc = true;
        } else if !in_doc && !t.trim().is_empty() && !t.trim_start().starts_with('#') {
            starts.push(n + 1);
            in_doc = true;
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<SloDef>, ConfigError> {
        parse(Path::new("slos.yml"), text, "prom", Duration::days(30))
    }

    const SLOTH: &str = r#"version: "prometheus/v1"
service: "checkout"
labels:
  owner: "payments-team"
slos:
  - name: "requests-availability"
    objective: 99.9
    description: "Common SLO based on availability for HTTP request responses."
    sli:
      events:
        error_query: sum(rate(http_requests_total{job="checkout",code=~"(5..|429)"}[{{.window}}]))
        total_query: sum(rate(http_requests_total{job="checkout"}[{{.window}}]))
    alerting:
      name: CheckoutHighErrorRate
      page_alert:
        labels:
          severity: critical
  - name: "latency"
    objective: 99
    sli:
      raw:
        error_ratio_query: 1 - sum(rate(latency_bucket{le="0.5"}[{{.window}}])) / sum(rate(latency_count[{{.window}}]))
"#;

    #[test]
    fn a_sloth_spec_gives_one_slo_per_entry_named_as_sloth_names_them() {
        let defs = read(SLOTH).unwrap();
        assert_eq!(defs.len(), 2);
        let a = &defs[0];
        assert_eq!(a.name, "checkout-requests-availability");
        assert_eq!(a.service, "checkout");
        assert_eq!(a.objective.target(), 99.9);
        assert_eq!(a.objective.window(), Duration::days(30));
        assert_eq!(a.labels["owner"], "payments-team");
        assert_eq!(
            a.indicator.ratio_query(Duration::minutes(5)).unwrap(),
            r#"((sum(rate(http_requests_total{job="checkout",code=~"(5..|429)"}[5m]))) or (0 * (sum(rate(http_requests_total{job="checkout"}[5m]))))) / (sum(rate(http_requests_total{job="checkout"}[5m])))"#
        );
        assert!(matches!(defs[1].indicator, Indicator::Ratio(_)));
        assert_eq!(defs[1].objective.target(), 99.0);
    }

    #[test]
    fn the_sloth_kubernetes_resource_reads_the_same() {
        let text = r#"apiVersion: sloth.slok.dev/v1
kind: PrometheusServiceLevel
metadata:
  name: checkout
spec:
  service: "checkout"
  slos:
    - name: "requests-availability"
      objective: 99.95
      sli:
        events:
          errorQuery: sum(rate(e[{{.window}}]))
          totalQuery: sum(rate(t[{{.window}}]))
"#;
        let defs = read(text).unwrap();
        assert_eq!(defs[0].name, "checkout-requests-availability");
        assert_eq!(defs[0].objective.target(), 99.95);
    }

    #[test]
    fn document_markers_around_a_spec_are_fine() {
        let defs = read(&format!("---\n{SLOTH}---\n")).unwrap();
        assert_eq!(defs.len(), 2);
        let e = read(&format!("---\n{SLOTH}---\nservice: x\n")).unwrap_err();
        let second = SLOTH.lines().count() + 3;
        assert_eq!(e.line, second, "{e}");
        assert!(e.message.contains("neither a Sloth spec"), "{e}");
    }

    #[test]
    fn sloth_errors_name_the_line_and_key() {
        let bad = SLOTH.replace("objective: 99\n", "objective: 100\n");
        let e = read(&bad).unwrap_err();
        assert_eq!((e.line, e.key.as_str()), (19, "slos[1].objective"), "{e}");
        let bad = SLOTH.replace("objective: 99.9\n", "objective: high\n");
        let e = read(&bad).unwrap_err();
        assert_eq!((e.line, e.key.as_str()), (7, "slos[0].objective"), "{e}");
        assert!(e.message.contains("invalid type"), "{e}");
        let bad = SLOTH.replace("[{{.window}}]))\n        total", "[5m]))\n        total");
        let e = read(&bad).unwrap_err();
        assert_eq!(
            (e.line, e.key.as_str()),
            (11, "slos[0].sli.events.error_query"),
            "{e}"
        );
        let e = read("version: prometheus/v2\nservice: x\n").unwrap_err();
        assert!(e.message.contains("neither a Sloth spec"), "{e}");
    }

    const OPENSLO: &str = r#"apiVersion: openslo/v1
kind: SLI
metadata:
  name: search-errors
spec:
  ratioMetric:
    counter: true
    bad:
      metricSource:
        type: Prometheus
        spec:
          query: sum(rate(search_requests_total{code=~"5.."}[{{.window}}]))
    total:
      metricSource:
        type: Prometheus
        spec:
          query: sum(rate(search_requests_total[{{.window}}]))
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: search-availability
  displayName: Search availability
spec:
  service: search
  indicatorRef: search-errors
  timeWindow:
    - duration: 28d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: Most searches work
      target: 0.995
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: cart-availability
spec:
  service: cart
  indicator:
    metadata:
      name: cart-good
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: prometheus
            spec:
              query: sum(rate(cart_ok_total[{{.window}}]))
        total:
          metricSource:
            type: prometheus
            spec:
              query: sum(rate(cart_total[{{.window}}]))
  timeWindow:
    - duration: 1w
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - targetPercent: 99.9
"#;

    #[test]
    fn openslo_slos_with_inline_and_referenced_indicators() {
        let defs = read(OPENSLO).unwrap();
        assert_eq!(defs.len(), 2);
        let search = defs.iter().find(|d| d.service == "search").unwrap();
        assert_eq!(search.name, "search-availability");
        assert_eq!(search.objective.target(), 99.5);
        assert_eq!(search.objective.window(), Duration::days(28));
        assert!(matches!(search.indicator, Indicator::Events { .. }));
        let cart = defs.iter().find(|d| d.service == "cart").unwrap();
        assert_eq!(cart.objective.window(), Duration::days(7));
        assert_eq!(
            cart.indicator.ratio_query(Duration::hours(1)).unwrap(),
            "1 - (sum(rate(cart_ok_total[1h]))) / (sum(rate(cart_total[1h])))"
        );
    }

    #[test]
    fn openslo_errors_name_the_line_and_key() {
        let bad = OPENSLO.replace(
            "budgetingMethod: Occurrences\n  objectives:\n    - displayName",
            "budgetingMethod: Timeslices\n  objectives:\n    - displayName",
        );
        let e = read(&bad).unwrap_err();
        assert_eq!(
            (e.line, e.key.as_str()),
            (30, "spec.budgetingMethod"),
            "{e}"
        );
        let bad = OPENSLO.replace(
            "type: Prometheus\n        spec:\n          query: sum(rate(search_requests_total{",
            "type: Datadog\n        spec:\n          query: sum(rate(search_requests_total{",
        );
        let e = read(&bad).unwrap_err();
        assert_eq!(
            (e.line, e.key.as_str()),
            (10, "ratioMetric.bad.metricSource.type"),
            "{e}"
        );
        let bad = OPENSLO.replace("indicatorRef: search-errors", "indicatorRef: nope");
        let e = read(&bad).unwrap_err();
        assert_eq!((e.line, e.key.as_str()), (26, "spec.indicatorRef"), "{e}");
    }
}
