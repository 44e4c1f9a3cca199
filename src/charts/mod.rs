//! PNG charts for the report, drawn with plotters into an in-memory RGB buffer.
//!
//! In: plain data (`LineChart`, `Series` of `Point`s with shares 0..1 and their intervals, `Bar`s, `ScoreRow`s,
//! a `Fan` projection) and a size in pixels. Out: PNG bytes (`Vec<u8>`); writing files is the caller's job.
//! `line_chart_rgb` and `plot_area` expose the raw RGB buffer and the plot-area mapping so tests can check
//! where things are drawn.
//!
//! Conventions: white background, an embedded DejaVu Sans registered as "sans-serif" (no system fonts),
//! y axes as percentages, one colour per keyword id across every chart (`color_for`), confidence bands as
//! translucent polygons, flagged points (too few postings) as hollow circles, lines broken where periods are
//! missing. Bad input never panics: non-finite values are dropped, shares are clamped to [0, 1], and a chart
//! without data still renders and says "No data". Same input, same bytes out.

mod bar;
mod color;
mod line;
mod png;
mod scorecard;
mod util;

use std::sync::OnceLock;

use chrono::NaiveDate;

pub use bar::{BarChart, BarUnit, bar_chart, bar_chart_rgb, bar_chart_with};
pub use color::{PALETTE, color_for, verdict_color};
pub use line::{PlotArea, fan_chart, fan_chart_rgb, line_chart, line_chart_rgb, plot_area, small_multiples};
pub use png::encode_png;
pub use scorecard::{scorecard, scorecard_rgb};

/// The font family every chart uses; the embedded TTF is registered under this name.
pub const FONT: &str = "sans-serif";

static FONT_BYTES: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");
static FONT_REGISTERED: OnceLock<bool> = OnceLock::new();

/// Registers the embedded DejaVu Sans as "sans-serif" (once per process).
pub fn ensure_font() -> Result<(), ChartError> {
    let ok = *FONT_REGISTERED
        .get_or_init(|| plotters::style::register_font(FONT, plotters::style::FontStyle::Normal, FONT_BYTES).is_ok());
    if ok { Ok(()) } else { Err(ChartError::Font) }
}

/// Errors of chart rendering.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// Width or height outside 64..=8192 pixels.
    #[error("chart size {width}x{height} is out of range (each side must be 64..=8192 pixels)")]
    Size { width: u32, height: u32 },
    /// The embedded font could not be parsed.
    #[error("the embedded font (assets/DejaVuSans.ttf) could not be loaded")]
    Font,
    /// plotters reported an error while drawing.
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    /// PNG encoding failed.
    #[error("encoding the PNG failed: {0}")]
    Encode(String),
}

/// One period of one series.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Start of the period (month, quarter or year).
    pub date: NaiveDate,
    /// Share of postings, 0..1.
    pub value: f64,
    /// Lower bound of the interval (e.g. Wilson 95%), 0..1.
    pub low: f64,
    /// Upper bound of the interval, 0..1.
    pub high: f64,
    /// Postings in the period.
    pub n: u64,
    /// Too few postings in the period: drawn as a hollow circle.
    pub flagged: bool,
}

impl Point {
    /// A point without interval (low = high = value), not flagged.
    pub fn new(date: NaiveDate, value: f64) -> Self {
        Point { date, value, low: value, high: value, n: 0, flagged: false }
    }
}

/// One line of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Keyword id: decides the colour (`color_for`).
    pub key: String,
    /// Legend label.
    pub label: String,
    /// Points in any order (sorted by date when drawn).
    pub points: Vec<Point>,
    /// Dashed line (a projection, a rolling mean); no band.
    pub dashed: bool,
}

/// A time-series chart of shares.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    pub title: String,
    pub subtitle: Option<String>,
    pub y_label: String,
    pub x_label: String,
    /// Source and n per period; wrapped over several lines when long.
    pub footnote: String,
    pub series: Vec<Series>,
    pub width: u32,
    pub height: u32,
    /// Top of the y axis (a share, clamped to (0, 1]); automatic when `None`.
    pub y_max: Option<f64>,
}

/// One horizontal bar with its interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Keyword id: decides the colour.
    pub key: String,
    pub label: String,
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// One claim of the scorecard.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRow {
    pub id: String,
    pub claim: String,
    /// supported | contradicted | inconclusive (anything else is drawn grey).
    pub verdict: String,
    /// The effect in plain units, e.g. "+2.1 pp/yr".
    pub effect: String,
    /// Its 95% interval, e.g. "[+1.2, +3.0]".
    pub interval: String,
}

/// A history with a projection fan (mid, low, high per date) and an optional target level.
#[derive(Debug, Clone, PartialEq)]
pub struct Fan {
    pub history: Series,
    pub projection: Vec<(NaiveDate, f64, f64, f64)>,
    pub level: Option<f64>,
}

pub(crate) fn check_size(width: u32, height: u32) -> Result<(), ChartError> {
    if (64..=8192).contains(&width) && (64..=8192).contains(&height) {
        Ok(())
    } else {
        Err(ChartError::Size { width, height })
    }
}

pub(crate) fn draw_err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Draw(e.to_string())
}
