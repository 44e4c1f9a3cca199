//! Shared helpers of the charts: cleaning points, splitting at gaps, axis ticks and labels, text layout.

use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartError, FONT, Point, draw_err};

pub(crate) type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

/// A chart's plotting context on the PNG backend, with [`TickAxis`] axes (line and bar charts).
pub(crate) type Plot<'a, 'b> = ChartContext<'a, BitMapBackend<'b>, Cartesian2d<TickAxis, TickAxis>>;

pub(crate) const TEXT: RGBColor = RGBColor(0x21, 0x21, 0x21);
pub(crate) const MUTED: RGBColor = RGBColor(0x61, 0x61, 0x61);
pub(crate) const GRID_BOLD: RGBColor = RGBColor(0xD6, 0xD6, 0xD6);
pub(crate) const GRID_LIGHT: RGBColor = RGBColor(0xEE, 0xEE, 0xEE);
pub(crate) const AXIS: RGBColor = RGBColor(0x75, 0x75, 0x75);

/// Scale factor of fonts and margins against the 1600x900 reference.
pub(crate) fn scale(width: u32, height: u32) -> f64 {
    (width as f64 / 1600.0).min(height as f64 / 900.0).clamp(0.45, 3.0)
}

pub(crate) fn px(base: f64, s: f64) -> i32 {
    (base * s).round().max(1.0) as i32
}

pub(crate) fn font(size: f64, color: RGBColor) -> TextStyle<'static> {
    (FONT, size.max(11.0)).into_font().color(&color)
}

pub(crate) fn anchored(style: TextStyle<'static>, h: HPos, v: VPos) -> TextStyle<'static> {
    style.pos(Pos::new(h, v))
}

/// Draws a text with its anchor at `(x, y)`.
pub(crate) fn text(area: &Area, s: &str, (x, y): (i32, i32), style: &TextStyle) -> Result<(), ChartError> {
    if s.is_empty() {
        return Ok(());
    }
    area.draw(&Text::new(s.to_string(), (x, y), style.clone())).map_err(draw_err)
}

pub(crate) fn text_width(area: &Area, s: &str, style: &TextStyle) -> i32 {
    if s.is_empty() {
        return 0;
    }
    area.estimate_text_size(s, style).map(|(w, _)| w as i32).unwrap_or((s.chars().count() as f64 * 10.0) as i32)
}

/// Word-wraps `s` to lines no wider than `max_w` pixels (explicit newlines are kept).
pub(crate) fn wrap(area: &Area, s: &str, style: &TextStyle, max_w: i32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in s.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let cand = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if !line.is_empty() && text_width(area, &cand, style) > max_w {
                lines.push(std::mem::take(&mut line));
                line = word.to_string();
            } else {
                line = cand;
            }
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// Shortens `s` with an ellipsis so that it fits in `max_w` pixels.
pub(crate) fn ellipsize(area: &Area, s: &str, style: &TextStyle, max_w: i32) -> String {
    if text_width(area, s, style) <= max_w {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let cand: String = chars[..mid].iter().collect::<String>() + "…";
        if text_width(area, &cand, style) <= max_w { lo = mid } else { hi = mid - 1 }
    }
    chars[..lo].iter().collect::<String>().trim_end().to_string() + "…"
}

fn clamp01(v: f64) -> f64 {
    v.clamp(0.0, 1.0)
}

/// Drops non-finite values, clamps shares and bounds to [0, 1] (low <= value <= high), sorts by date and keeps
/// the first point of a repeated date.
pub(crate) fn clean_points(points: &[Point]) -> Vec<Point> {
    let mut v: Vec<Point> = points
        .iter()
        .filter(|p| p.value.is_finite())
        .map(|p| {
            let value = clamp01(p.value);
            let low = if p.low.is_finite() { clamp01(p.low).min(value) } else { value };
            let high = if p.high.is_finite() { clamp01(p.high).max(value) } else { value };
            Point { date: p.date, value, low, high, n: p.n, flagged: p.flagged }
        })
        .collect();
    v.sort_by_key(|p| p.date);
    v.dedup_by_key(|p| p.date);
    v
}

/// Splits date-sorted points into runs without missing periods: a new run starts when two consecutive points
/// are more than 1.5 typical periods (the median spacing) apart.
pub(crate) fn segments(points: &[Point]) -> Vec<&[Point]> {
    if points.len() < 3 {
        return if points.is_empty() { vec![] } else { vec![points] };
    }
    let mut gaps: Vec<i64> = points.windows(2).map(|w| (w[1].date - w[0].date).num_days()).collect();
    gaps.sort_unstable();
    let typical = gaps[gaps.len() / 2].max(1) as f64;
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..points.len() {
        if (points[i].date - points[i - 1].date).num_days() as f64 > typical * 1.5 {
            out.push(&points[start..i]);
            start = i;
        }
    }
    out.push(&points[start..]);
    out
}

/// Days since the common era: the x coordinate of every time chart.
pub(crate) fn day(d: NaiveDate) -> f64 {
    d.num_days_from_ce() as f64
}

pub(crate) fn date_of(x: f64) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(x.round().clamp(-1e8, 1e8) as i32).unwrap_or_default()
}

/// The x range (in days) covering the dates, padded by half a month on each side.
pub(crate) fn x_range(first: NaiveDate, last: NaiveDate) -> (f64, f64) {
    let (a, b) = (day(first), day(last));
    if b - a < 60.0 { (a - 45.0, b + 45.0) } else { (a - 15.0, b + 15.0) }
}

/// Tick positions (bold, labelled) and light grid positions for a date axis, with the label format.
pub(crate) struct DateTicks {
    pub bold: Vec<f64>,
    pub light: Vec<f64>,
    pub monthly_labels: bool,
}

pub(crate) fn date_ticks(lo: f64, hi: f64, plot_width_px: i32) -> DateTicks {
    let (d0, d1) = (date_of(lo), date_of(hi));
    let months = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
    let span_months = (months(d1) - months(d0)).max(1);
    // at least ~90 px between labels
    let max_labels = (plot_width_px / 90).max(2);
    let month_date = |m: i32| NaiveDate::from_ymd_opt(m.div_euclid(12), m.rem_euclid(12) as u32 + 1, 1);
    let all_months: Vec<NaiveDate> =
        (months(d0)..=months(d1) + 1).filter_map(month_date).filter(|d| (lo..=hi).contains(&day(*d))).collect();
    if span_months <= 30 {
        // label months (every 1, 2, 3 or 6), light lines every month
        let step = [1, 2, 3, 6, 12].into_iter().find(|s| span_months / s <= max_labels).unwrap_or(12);
        let bold: Vec<f64> = all_months.iter().filter(|d| d.month0() as i32 % step == 0).map(|d| day(*d)).collect();
        let light = all_months.iter().map(|d| day(*d)).collect();
        return DateTicks { bold, light, monthly_labels: true };
    }
    let years = (span_months / 12).max(1);
    let step = [1, 2, 5, 10, 20, 50].into_iter().find(|s| years / s <= max_labels).unwrap_or(100);
    let bold: Vec<f64> =
        all_months.iter().filter(|d| d.month0() == 0 && d.year().rem_euclid(step) == 0).map(|d| day(*d)).collect();
    let light: Vec<f64> = if span_months <= 60 {
        all_months.iter().filter(|d| d.month0() % 3 == 0).map(|d| day(*d)).collect()
    } else {
        all_months.iter().filter(|d| d.month0() == 0).map(|d| day(*d)).collect()
    };
    DateTicks { bold, light, monthly_labels: false }
}

pub(crate) fn date_label(x: f64, monthly: bool) -> String {
    let d = date_of(x);
    if monthly { d.format("%b %Y").to_string() } else { d.format("%Y").to_string() }
}

/// A "nice" step for an axis from 0 (or lo) to hi with at most `max_ticks` ticks.
pub(crate) fn nice_step(span: f64, max_ticks: usize) -> f64 {
    let span = if span.is_finite() && span > 0.0 { span } else { 1.0 };
    let raw = span / max_ticks.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * mag >= raw {
            return m * mag;
        }
    }
    10.0 * mag
}

/// Ticks from `lo` to `hi` (inclusive, multiples of `step`).
pub(crate) fn ticks(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let mut out = Vec::new();
    let mut k = (lo / step).ceil();
    while k * step <= hi + step * 1e-9 && out.len() < 200 {
        out.push(k * step);
        k += 1.0;
    }
    out
}

/// Top of a share axis: the largest value or bound, plus headroom, rounded up to a nice step; in (0, 1].
pub(crate) fn share_axis_max(max_seen: f64, requested: Option<f64>) -> (f64, f64) {
    if let Some(r) = requested.filter(|r| r.is_finite() && *r > 0.0) {
        let top = r.min(1.0);
        return (top, nice_step(top, 6));
    }
    let m = if max_seen.is_finite() && max_seen > 0.0 { max_seen * 1.08 } else { 0.01 };
    let m = m.clamp(0.001, 1.0);
    let step = nice_step(m, 6);
    (((m / step).ceil() * step).min(1.0), step)
}

/// A share as a percentage with as many decimals as the axis step needs.
pub(crate) fn pct_label(v: f64, step: f64) -> String {
    format!("{:.*}%", decimals_for(step * 100.0), v * 100.0)
}

/// Decimals needed to write multiples of `step` exactly (2.5 needs one, 5 none), at most three.
pub(crate) fn decimals_for(step: f64) -> usize {
    (0..3)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0)
        })
        .unwrap_or(3)
}

/// A share for a legend: one decimal above 1%, two below.
pub(crate) fn pct_value(v: f64) -> String {
    if v >= 0.01 || v == 0.0 { format!("{:.1}%", v * 100.0) } else { format!("{:.2}%", v * 100.0) }
}

/// Big centred "No data" in an area.
pub(crate) fn no_data(area: &Area, s: f64) -> Result<(), ChartError> {
    let (w, h) = area.dim_in_pixel();
    let style = anchored(font(72.0 * s, MUTED), HPos::Center, VPos::Center);
    text(area, "No data", (w as i32 / 2, h as i32 / 2), &style)
}

/// Title (and subtitle) at the top left; returns the height used.
pub(crate) fn header(area: &Area, title: &str, subtitle: Option<&str>, s: f64) -> Result<i32, ChartError> {
    let left = px(28.0, s);
    let mut y = px(18.0, s);
    let title_style = anchored(font(34.0 * s, TEXT), HPos::Left, VPos::Top);
    let (w, _) = area.dim_in_pixel();
    let t = ellipsize(area, title, &title_style, w as i32 - 2 * left);
    text(area, &t, (left, y), &title_style)?;
    y += px(44.0, s);
    if let Some(sub) = subtitle.filter(|s| !s.trim().is_empty()) {
        let sub_style = anchored(font(22.0 * s, MUTED), HPos::Left, VPos::Top);
        let t = ellipsize(area, sub, &sub_style, w as i32 - 2 * left);
        text(area, &t, (left, y), &sub_style)?;
        y += px(32.0, s);
    }
    Ok(y + px(10.0, s))
}

/// The footnote lines (wrapped) and the height they need at the bottom.
pub(crate) fn footnote_layout(area: &Area, footnote: &str, s: f64) -> (Vec<String>, i32) {
    let (w, _) = area.dim_in_pixel();
    let style = font(18.0 * s, MUTED);
    let mut lines = wrap(area, footnote, &style, w as i32 - 2 * px(28.0, s));
    lines.truncate(4);
    let h = if lines.is_empty() { px(14.0, s) } else { lines.len() as i32 * px(24.0, s) + px(18.0, s) };
    (lines, h)
}

pub(crate) fn draw_footnote(area: &Area, lines: &[String], s: f64) -> Result<(), ChartError> {
    let (_, h) = area.dim_in_pixel();
    let style = anchored(font(18.0 * s, MUTED), HPos::Left, VPos::Bottom);
    let n = lines.len() as i32;
    for (i, line) in lines.iter().enumerate() {
        let y = h as i32 - px(12.0, s) - (n - 1 - i as i32) * px(24.0, s);
        text(area, line, (px(28.0, s), y), &style)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, 1).unwrap()
    }

    #[test]
    fn clean_points_drops_nan_and_clamps() {
        let pts = vec![
            Point { date: d(2020, 2), value: 1.5, low: 0.9, high: 2.0, n: 1, flagged: false },
            Point { date: d(2020, 1), value: f64::NAN, low: 0.0, high: 0.0, n: 1, flagged: false },
            Point { date: d(2020, 3), value: -0.2, low: f64::NAN, high: 0.1, n: 1, flagged: true },
        ];
        let c = clean_points(&pts);
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].value, c[0].low, c[0].high), (1.0, 0.9, 1.0));
        assert_eq!((c[1].value, c[1].low, c[1].high), (0.0, 0.0, 0.1));
    }

    #[test]
    fn segments_split_at_missing_months() {
        let pts: Vec<Point> = [1, 2, 3, 6, 7].iter().map(|&m| Point::new(d(2021, m), 0.1)).collect();
        let segs = segments(&pts);
        assert_eq!(segs.iter().map(|s| s.len()).collect::<Vec<_>>(), vec![3, 2]);
        assert_eq!(segments(&pts[..1]).len(), 1);
        assert!(segments(&[]).is_empty());
    }

    #[test]
    fn date_ticks_label_years_over_long_spans_and_months_over_short() {
        let (lo, hi) = x_range(d(2018, 1), d(2026, 3));
        let t = date_ticks(lo, hi, 1200);
        assert_eq!(date_label(t.bold[0], t.monthly_labels), "2018");
        assert_eq!(t.bold.len(), 9);
        let (lo, hi) = x_range(d(2025, 1), d(2025, 12));
        let t = date_ticks(lo, hi, 1200);
        assert!(t.monthly_labels);
        assert_eq!(date_label(t.bold[0], true), "Jan 2025");
    }

    #[test]
    fn share_axis_is_nice_and_bounded() {
        let (top, step) = share_axis_max(0.23, None);
        assert!((top - 0.25).abs() < 1e-12 && (step - 0.05).abs() < 1e-12);
        assert_eq!(share_axis_max(f64::NAN, None).0, 0.01);
        assert_eq!(share_axis_max(0.99, None).0, 1.0);
        assert_eq!(share_axis_max(0.2, Some(3.0)).0, 1.0);
        assert_eq!(pct_label(0.25, 0.05), "25%");
        assert_eq!(pct_label(0.005, 0.001), "0.5%");
        assert_eq!(pct_label(0.075, 0.025), "7.5%");
        assert_eq!(pct_label(0.05, 0.025), "5.0%");
        assert_eq!(pct_label(0.0025, 0.0005), "0.25%");
    }
}

/// A linear f64 axis with explicit tick positions (bold: labelled ticks and grid lines, light: light grid lines).
/// plotters' `with_key_points` loses the default formatting that `configure_mesh` needs, hence this type.
#[derive(Debug, Clone)]
pub(crate) struct TickAxis {
    pub lo: f64,
    pub hi: f64,
    pub bold: Vec<f64>,
    pub light: Vec<f64>,
}

impl plotters::coord::ranged1d::Ranged for TickAxis {
    type FormatOption = plotters::coord::ranged1d::DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let span = self.hi - self.lo;
        if span.abs() < f64::EPSILON || !v.is_finite() {
            return (limit.0 + limit.1) / 2;
        }
        let f = (v - self.lo) / span;
        let len = (limit.1 - limit.0) as f64;
        let off = if len >= 0.0 { (len * f + 1e-3).floor() } else { (len * f - 1e-3).ceil() };
        limit.0 + off.clamp(-1e7, 1e7) as i32
    }

    fn key_points<H: plotters::coord::ranged1d::KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() { self.light.clone() } else { self.bold.clone() }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}
