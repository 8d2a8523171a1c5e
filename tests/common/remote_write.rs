//! Writing history into a real Prometheus through its remote-write receiver, so tests
//! know by construction what every query over it must answer.
//!
//! A remote-write request is a protobuf `WriteRequest` compressed with snappy's block
//! format. Both are encoded by hand here: the messages have four small types, and a
//! snappy block made only of literals is valid snappy, so no crate is needed.
//!
//! ```text
//! message WriteRequest { repeated TimeSeries timeseries = 1; }
//! message TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
//! message Label        { string name = 1; string value = 2; }
//! message Sample       { double value = 1; int64 timestamp = 2; }   // milliseconds
//! ```
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;

/// One series: its labels (`__name__` included) and its samples (ms since the epoch,
/// value), in any order.
#[derive(Debug, Clone)]
pub struct Series {
    pub labels: Vec<(String, String)>,
    pub samples: Vec<(i64, f64)>,
}

impl Series {
    /// A series named `name` with extra `labels`.
    pub fn new(name: &str, labels: &[(&str, &str)]) -> Series {
        let mut all = vec![("__name__".to_string(), name.to_string())];
        all.extend(labels.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Series {
            labels: all,
            samples: Vec::new(),
        }
    }
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A field key: its number and wire type (0 varint, 1 fixed 64-bit, 2 length-delimited).
fn key(out: &mut Vec<u8>, field: u64, wire_type: u64) {
    varint(out, (field << 3) | wire_type);
}

fn bytes_field(out: &mut Vec<u8>, field: u64, bytes: &[u8]) {
    key(out, field, 2);
    varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// The protobuf `WriteRequest` holding `series` with the given samples of each.
pub fn write_request(series: &[(&Series, &[(i64, f64)])]) -> Vec<u8> {
    let mut request = Vec::new();
    for (s, samples) in series {
        let mut ts = Vec::new();
        // Prometheus wants labels sorted by name.
        let mut labels = s.labels.clone();
        labels.sort();
        for (name, value) in &labels {
            let mut label = Vec::new();
            bytes_field(&mut label, 1, name.as_bytes());
            bytes_field(&mut label, 2, value.as_bytes());
            bytes_field(&mut ts, 1, &label);
        }
        for (t, v) in *samples {
            let mut sample = Vec::new();
            key(&mut sample, 1, 1);
            sample.extend_from_slice(&v.to_le_bytes());
            key(&mut sample, 2, 0);
            varint(&mut sample, *t as u64);
            bytes_field(&mut ts, 2, &sample);
        }
        bytes_field(&mut request, 1, &ts);
    }
    request
}

/// `data` as a snappy block of literals only: the uncompressed length as a varint,
/// then literal elements of up to 64 KiB, each a tag byte (60 or 61 for a one- or
/// two-byte length that follows) and the bytes themselves.
pub fn snappy_literals(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 65_536 * 3 + 8);
    varint(&mut out, data.len() as u64);
    for chunk in data.chunks(65_536) {
        let n = chunk.len() - 1;
        if n < 60 {
            out.push((n as u8) << 2);
        } else if n < 256 {
            out.push(60 << 2);
            out.push(n as u8);
        } else {
            out.push(61 << 2);
            out.extend_from_slice(&(n as u16).to_le_bytes());
        }
        out.extend_from_slice(chunk);
    }
    out
}

/// POSTs one remote-write request to `base_url` (`http://127.0.0.1:PORT`); panics with
/// Prometheus's answer unless it is 2xx.
pub fn post(base_url: &str, series: &[(&Series, &[(i64, f64)])]) {
    let body = snappy_literals(&write_request(series));
    let host = base_url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).expect("connect to Prometheus");
    stream
        .set_read_timeout(Some(super::servers::PATIENCE))
        .unwrap();
    let head = format!(
        "POST /api/v1/write HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\
         Content-Type: application/x-protobuf\r\nContent-Encoding: snappy\r\n\
         X-Prometheus-Remote-Write-Version: 0.1.0\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&body).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let status = answer.split_whitespace().nth(1).unwrap_or("");
    assert!(
        status.starts_with('2'),
        "remote write to {base_url} answered: {answer}"
    );
}

/// Writes every series: the newest sample of each first, then the rest oldest first in
/// batches (so Prometheus keeps one head and files the history as out-of-order data
/// instead of compacting block after block).
pub fn write_history(base_url: &str, series: &[Series]) {
    let sorted: Vec<Vec<(i64, f64)>> = series
        .iter()
        .map(|s| {
            let mut v = s.samples.clone();
            v.sort_by_key(|p| p.0);
            v
        })
        .collect();
    let newest: Vec<(&Series, &[(i64, f64)])> = series
        .iter()
        .zip(&sorted)
        .filter(|(_, v)| !v.is_empty())
        .map(|(s, v)| (s, &v[v.len() - 1..]))
        .collect();
    post(base_url, &newest);
    const BATCH: usize = 5_000;
    let longest = sorted.iter().map(Vec::len).max().unwrap_or(0);
    let mut from = 0;
    while from + 1 < longest {
        let batch: Vec<(&Series, &[(i64, f64)])> = series
            .iter()
            .zip(&sorted)
            .filter(|(_, v)| from + 1 < v.len())
            .map(|(s, v)| (s, &v[from..(from + BATCH).min(v.len() - 1)]))
            .collect();
        post(base_url, &batch);
        from += BATCH;
    }
}

/// Milliseconds between samples a minute apart.
pub const MINUTE_MS: i64 = 60_000;
