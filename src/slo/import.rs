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

/// Every SLO in the YAML `text` of `file` (one or more documents, each a definition or
/// a list of them), measured on `source`. `window` applies where the file does not give
/// one (Sloth never does).
pub fn parse(
    file: &Path,
    text: &str,
    source: &str,
    window: Duration,
) -> Result<Vec<SloDef>, ConfigError> {
    let starts = document_starts(text);
    let ctx = |from_line: usize| Ctx {
        file,
        text,
        from_line,
        source,
        window,
    };
    let doc_start = |doc: usize| starts.get(doc).copied().unwrap_or(1);
    // First what each document is (a list's items each being one), then each read as
    // what it is: a whole document through the YAML reader, so errors keep their key
    // path and line; a list's item from its value.
    let mut values = Vec::new();
    for (doc, de) in yaml_serde::Deserializer::from_str(text).enumerate() {
        let value =
            yaml_serde::Value::deserialize(de).map_err(|e| ctx(doc_start(doc)).yaml_error(&e))?;
        values.push(value);
    }
    let mut pieces = Vec::new();
    for (doc, (de, value)) in yaml_serde::Deserializer::from_str(text)
        .zip(values)
        .enumerate()
    {
        let from = doc_start(doc);
        match value {
            // An empty document (a stray `---` at the end) defines nothing.
            yaml_serde::Value::Null => {}
            yaml_serde::Value::Sequence(items) => {
                let lines = item_starts(text, from, items.len());
                for (item, line) in items.into_iter().zip(lines) {
                    let head = Head::of(&item);
                    pieces.push((ctx(line), head, Body::Item(item)));
                }
            }
            value => pieces.push((ctx(from), Head::of(&value), Body::Whole(de))),
        }
    }
    let mut slis: BTreeMap<String, Indicator> = BTreeMap::new();
    let mut pending = Vec::new();
    let mut defs = Vec::new();
    for (c, head, body) in pieces {
        match head.kind_of() {
            Kind::Sloth => {
                let spec: SlothSpec = c.typed(body)?;
                defs.extend(c.sloth(&spec.service, &spec.labels, &spec.slos)?);
            }
            Kind::SlothResource => {
                let res: SlothResource = c.typed(body)?;
                let spec = &res.spec;
                defs.extend(c.sloth(&spec.service, &spec.labels, &spec.slos)?);
            }
            Kind::OpenSloSli => {
                let sli: OpenSloSli = c.typed(body)?;
                slis.insert(sli.metadata.name, c.openslo_indicator(&sli.spec)?);
            }
            Kind::OpenSloSlo => {
                let slo: OpenSloSlo = c.typed(body)?;
                // An indicatorRef may name an SLI defined further down the file.
                pending.push((c, slo));
            }
            Kind::OpenSloV1Alpha => {
                let slo: V1AlphaSlo = c.typed(body)?;
                defs.extend(c.openslo_v1alpha(&slo)?);
            }
            Kind::OpenSloOther => {}
            Kind::Unknown(what) => {
                return Err(c.error(
                    c.from_line,
                    "",
                    format!(
                        "{what} is neither a Sloth spec (version: prometheus/v1, or kind: \
                         PrometheusServiceLevel) nor OpenSLO (apiVersion: openslo/v1, or \
                         openslo/v1alpha as Sloth reads it)"
                    ),
                ));
            }
        }
    }
    for (c, slo) in pending {
        defs.extend(c.openslo(&slo, &slis)?);
    }
    Ok(defs)
}

/// A definition to read: a whole YAML document, or one item of a document that is a list.
enum Body<'de> {
    Whole(yaml_serde::Deserializer<'de>),
    Item(yaml_serde::Value),
}

/// What a document says it is.
#[derive(Default)]
struct Head {
    version: Option<String>,
    api_version: Option<String>,
    kind: Option<String>,
    /// What the document is when it is no mapping at all (`a number`, `a list`).
    not_a_mapping: Option<&'static str>,
}

impl Head {
    fn of(value: &yaml_serde::Value) -> Head {
        use yaml_serde::Value;
        let Value::Mapping(m) = value else {
            let what = match value {
                Value::Sequence(_) => "a list",
                Value::String(_) => "a string",
                Value::Number(_) => "a number",
                Value::Bool(_) => "a boolean",
                _ => "a value",
            };
            return Head {
                not_a_mapping: Some(what),
                ..Head::default()
            };
        };
        let text = |key: &str| {
            m.get(key).and_then(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
        };
        Head {
            version: text("version"),
            api_version: text("apiVersion"),
            kind: text("kind"),
            not_a_mapping: None,
        }
    }
}

enum Kind {
    Sloth,
    SlothResource,
    OpenSloSlo,
    OpenSloSli,
    /// `openslo/v1alpha` `kind: SLO`, the dialect Sloth reads.
    OpenSloV1Alpha,
    /// OpenSLO documents that define no SLO (Service, AlertPolicy, …).
    OpenSloOther,
    Unknown(String),
}

impl Head {
    fn kind_of(&self) -> Kind {
        if let Some(what) = self.not_a_mapping {
            return Kind::Unknown(format!("{what} (not a mapping)"));
        }
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
            (_, Some("openslo/v1alpha")) => match kind {
                "SLO" => Kind::OpenSloV1Alpha,
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

/// `openslo/v1alpha` `kind: SLO` as Sloth reads it: each objective has its own
/// `ratioMetrics` of `good` and `total` PromQL; the window is a count of days.
#[derive(Deserialize)]
struct V1AlphaSlo {
    metadata: Metadata,
    spec: V1AlphaSpec,
}

#[derive(Deserialize)]
struct V1AlphaSpec {
    service: String,
    #[serde(rename = "timeWindows", default)]
    time_windows: Vec<V1AlphaWindow>,
    #[serde(default)]
    objectives: Vec<V1AlphaObjective>,
}

#[derive(Deserialize)]
struct V1AlphaWindow {
    count: i64,
    unit: String,
}

#[derive(Deserialize)]
struct V1AlphaObjective {
    #[serde(rename = "ratioMetrics")]
    ratio_metrics: Option<V1AlphaRatio>,
    target: Option<f64>,
}

#[derive(Deserialize)]
struct V1AlphaRatio {
    good: V1AlphaQuery,
    total: V1AlphaQuery,
}

#[derive(Deserialize)]
struct V1AlphaQuery {
    #[serde(default)]
    source: String,
    #[serde(rename = "queryType", default)]
    query_type: String,
    query: String,
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

    /// `body` read as a `T`; errors name the line and key.
    fn typed<T: serde::de::DeserializeOwned>(&self, body: Body<'_>) -> Result<T, ConfigError> {
        match body {
            Body::Whole(de) => T::deserialize(de).map_err(|e| self.yaml_error(&e)),
            Body::Item(value) => yaml_serde::from_value(value).map_err(|e| {
                // A value has no lines: find the key the message names, from the item on.
                let message = e.to_string();
                let key = message
                    .split('`')
                    .nth(1)
                    .filter(|_| message.contains("field `"))
                    .unwrap_or("")
                    .to_string();
                // A missing key is nowhere to be found: the item's first line.
                self.error(self.from_line, &key, message)
            }),
        }
    }

    /// The line where `key` is written, searching from `from`: each part of its path
    /// after the one before (`ratioMetrics.total.query` is total's query, not good's).
    fn line_of(&self, from: usize, key: &str) -> usize {
        let mut at = from;
        for part in key.split('.') {
            let part = part.split('[').next().unwrap_or(part);
            let found = self
                .text
                .lines()
                .enumerate()
                .skip(at.saturating_sub(1))
                .find(|(_, l)| {
                    let l = l.trim_start().trim_start_matches("- ").trim_start();
                    l.strip_prefix(part)
                        .is_some_and(|rest| rest.trim_start().starts_with(':'))
                })
                .map(|(n, _)| n + 1);
            // A part not written out (a missing key, a list index) moves nothing.
            if let Some(n) = found {
                at = n;
            }
        }
        at
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
                alerting: None,
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
                alerting: None,
            });
        }
        Ok(defs)
    }

    /// Sloth's reading of `openslo/v1alpha`: one SLO per objective, named as Sloth
    /// names it (`{service}-{name}-{index}`, the `sloth_id` of its rules), its error
    /// ratio `1 - good / total`, its window whole days.
    fn openslo_v1alpha(&self, slo: &V1AlphaSlo) -> Result<Vec<SloDef>, ConfigError> {
        let spec = &slo.spec;
        let from = self.from_line;
        if spec.objectives.is_empty() {
            return Err(self.located(
                from,
                "spec.objectives".into(),
                "give at least one objective".into(),
            ));
        }
        let window = match spec.time_windows.as_slice() {
            [] => self.window,
            [w] if w.unit.eq_ignore_ascii_case("day") && w.count > 0 => Duration::days(w.count),
            [_] => {
                return Err(self.located(
                    from,
                    "spec.timeWindows[0].unit".into(),
                    "only a positive count of `unit: Day` is read (as Sloth reads it)".into(),
                ));
            }
            _ => {
                return Err(self.located(
                    from,
                    "spec.timeWindows".into(),
                    "give one time window".into(),
                ));
            }
        };
        let mut defs = Vec::new();
        for (i, o) in spec.objectives.iter().enumerate() {
            let key = format!("spec.objectives[{i}]");
            let Some(ratio) = &o.ratio_metrics else {
                return Err(self.located(
                    from,
                    format!("{key}.ratioMetrics"),
                    "give `ratioMetrics` with `good` and `total` (Sloth reads no other)".into(),
                ));
            };
            for (field, q) in [("good", &ratio.good), ("total", &ratio.total)] {
                let qkey = format!("{key}.ratioMetrics.{field}");
                if !matches!(q.source.as_str(), "prometheus" | "sloth") {
                    return Err(self.located(
                        from,
                        format!("{qkey}.source"),
                        format!("source `{}` cannot be queried; only prometheus", q.source),
                    ));
                }
                if q.query_type != "promql" {
                    return Err(self.located(
                        from,
                        format!("{qkey}.queryType"),
                        format!("query type `{}` cannot be read; only promql", q.query_type),
                    ));
                }
                self.needs_window(from, format!("{qkey}.query"), &q.query)?;
            }
            let Some(target) = o.target else {
                return Err(self.located(
                    from,
                    format!("{key}.target"),
                    "give `target` (0.999)".into(),
                ));
            };
            let objective = Objective::new((target * 1e8).round() / 1e6, window)
                .map_err(|e| self.located(from, format!("{key}.target"), e.to_string()))?;
            defs.push(SloDef {
                name: format!("{}-{}-{i}", spec.service, slo.metadata.name),
                service: spec.service.clone(),
                objective,
                source: self.source.to_string(),
                indicator: Indicator::Ratio(format!(
                    "1 - (({}) / ({}))",
                    ratio.good.query.trim(),
                    ratio.total.query.trim()
                )),
                labels: BTreeMap::new(),
                origin: self.file.display().to_string(),
                alerting: None,
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

/// The first line of each of the `n` items of the list that is the document starting
/// at line `from`; the document's line where they cannot be told apart.
fn item_starts(text: &str, from: usize, n: usize) -> Vec<usize> {
    let mut starts: Vec<usize> = Vec::new();
    let mut indent = None;
    for (i, line) in text.lines().enumerate().skip(from.saturating_sub(1)) {
        let t = line.trim_end();
        if t == "---" || t.starts_with("--- ") {
            if i + 1 > from {
                break;
            }
            continue;
        }
        let body = t.trim_start();
        let depth = t.len() - body.len();
        if (body == "-" || body.starts_with("- ")) && indent.is_none_or(|d| d == depth) {
            indent = Some(depth);
            starts.push(i + 1);
        }
    }
    if starts.len() != n {
        return vec![from; n];
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

    /// Sloth's own example (examples/openslo-getting-started.yml, Apache-2.0).
    const SLOTH_OPENSLO_V1ALPHA: &str = r#"apiVersion: openslo/v1alpha
kind: SLO
metadata:
  name: sloth-slo-my-service
  displayName: Requests Availability
spec:
  service: my-service
  description: "Common SLO based on availability for HTTP request responses."
  objectives:
    - ratioMetrics:
        good:
          source: prometheus
          queryType: promql
          query: sum(rate(http_request_duration_seconds_count{job="myservice",code!~"(5..|429)"}[{{.window}}]))
        total:
          source: prometheus
          queryType: promql
          query: sum(rate(http_request_duration_seconds_count{job="myservice"}[{{.window}}]))
      target: 0.999
  timeWindows:
    - count: 30
      unit: Day
"#;

    #[test]
    fn openslo_v1alpha_reads_as_sloth_reads_it() {
        let defs = read(SLOTH_OPENSLO_V1ALPHA).unwrap();
        let [slo] = defs.as_slice() else {
            panic!("{defs:?}")
        };
        // Sloth's id for it, which its rules carry as sloth_id.
        assert_eq!(slo.name, "my-service-sloth-slo-my-service-0");
        assert_eq!(slo.service, "my-service");
        assert_eq!(slo.objective.target(), 99.9);
        assert_eq!(slo.objective.window(), Duration::days(30));
        assert_eq!(
            slo.indicator.ratio_query(Duration::minutes(5)).unwrap(),
            r#"1 - ((sum(rate(http_request_duration_seconds_count{job="myservice",code!~"(5..|429)"}[5m]))) / (sum(rate(http_request_duration_seconds_count{job="myservice"}[5m]))))"#
        );
        let bad = SLOTH_OPENSLO_V1ALPHA.replace("queryType: promql\n          query: sum(rate(http_request_duration_seconds_count{job=\"myservice\"}", "queryType: sql\n          query: sum(rate(http_request_duration_seconds_count{job=\"myservice\"}");
        let e = read(&bad).unwrap_err();
        assert_eq!(
            (e.line, e.key.as_str()),
            (17, "spec.objectives[0].ratioMetrics.total.queryType"),
            "{e}"
        );
    }

    #[test]
    fn an_openslo_list_reads_like_separate_documents() {
        let mut list = String::new();
        for doc in OPENSLO.split("---\n") {
            for (i, line) in doc.lines().enumerate() {
                list.push_str(if i == 0 { "- " } else { "  " });
                list.push_str(line);
                list.push('\n');
            }
        }
        let defs = read(&list).unwrap();
        let names: Vec<&str> = defs.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["search-availability", "cart-availability"]);
        // A broken item is named by its line and key, in words a reader knows.
        let bad = list.replace(
            "  kind: SLO\n  metadata:\n    name: cart",
            "  kind: SLO\n  metadata:\n    nam: cart",
        );
        let e = read(&bad).unwrap_err();
        assert!(e.message.contains("missing field `name`"), "{e}");
        assert!(!e.message.contains("Head"), "{e}");
        let items: Vec<usize> = list
            .lines()
            .enumerate()
            .filter(|(_, l)| l.starts_with("- "))
            .map(|(n, _)| n + 1)
            .collect();
        let cart = items[2];
        assert_eq!((e.line, e.key.as_str()), (cart, "name"), "{e}");
        let e = read("- 1\n- 2\n").unwrap_err();
        assert!(e.message.contains("a number (not a mapping)"), "{e}");
        assert_eq!(e.line, 1, "{e}");
    }

    #[test]
    fn multi_document_files_mix_kinds() {
        let text = format!("{SLOTH}---\n{SLOTH_OPENSLO_V1ALPHA}---\n{OPENSLO}");
        assert_eq!(read(&text).unwrap().len(), 5);
    }
}
