//! Horizontal bar charts with interval whiskers: the "biggest movers" (change of share, in percentage points,
//! negative and positive) and the salary premium (a ratio with a reference line at 1).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::color::colors_for_chart;
use super::png::encode_png;
use super::util::*;
use super::{Bar, ChartError, check_size, draw_err, ensure_font};

/// How bar values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BarUnit {
    /// Values are differences of shares as fractions (0.032), written "+3.2 pp".
    #[default]
    SharePoints,
    /// Values are ratios (1.15), written "1.15×".
    Ratio,
    /// Plain numbers, two decimals.
    Plain,
}

impl BarUnit {
    fn format(self, v: f64, step: f64) -> String {
        match self {
            BarUnit::SharePoints => {
                let d = decimals_for(step * 100.0);
                if (v * 100.0).abs() < 0.5 * 10f64.powi(-(d as i32)) {
                    "0 pp".to_string()
                } else {
                    format!("{:+.*} pp", d, v * 100.0)
                }
            }
            BarUnit::Ratio => format!("{:.*}×", decimals_for(step).max(2), v),
            BarUnit::Plain => format!("{:.*}", decimals_for(step), v),
        }
    }

    fn format_value(self, v: f64) -> String {
        match self {
            BarUnit::SharePoints => format!("{:+.1} pp", v * 100.0),
            BarUnit::Ratio => format!("{v:.2}×"),
            BarUnit::Plain => format!("{v:.2}"),
        }
    }
}

/// A horizontal bar chart, bars drawn top to bottom in the given order.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub title: String,
    pub subtitle: Option<String>,
    pub x_label: String,
    pub footnote: String,
    pub bars: Vec<Bar>,
    pub unit: BarUnit,
    /// A vertical reference line (0 for changes, 1 for ratios).
    pub reference: Option<f64>,
    pub width: u32,
    pub height: u32,
}

/// Biggest movers: values are changes of share (fractions, shown as pp), reference line at 0. PNG bytes.
pub fn bar_chart(
    title: &str,
    x_label: &str,
    footnote: &str,
    bars: &[Bar],
    width: u32,
    height: u32,
) -> Result<Vec<u8>, ChartError> {
    bar_chart_with(&BarChart {
        title: title.to_string(),
        subtitle: None,
        x_label: x_label.to_string(),
        footnote: footnote.to_string(),
        bars: bars.to_vec(),
        unit: BarUnit::SharePoints,
        reference: Some(0.0),
        width,
        height,
    })
}

/// Any bar chart, PNG bytes.
pub fn bar_chart_with(c: &BarChart) -> Result<Vec<u8>, ChartError> {
    let rgb = bar_chart_rgb(c)?;
    encode_png(&rgb, c.width, c.height)
}

/// Any bar chart, raw RGB.
pub fn bar_chart_rgb(c: &BarChart) -> Result<Vec<u8>, ChartError> {
    check_size(c.width, c.height)?;
    ensure_font()?;
    let mut buf = vec![255u8; c.width as usize * c.height as usize * 3];
    render(c, &mut buf)?;
    Ok(buf)
}

fn render(c: &BarChart, buf: &mut [u8]) -> Result<(), ChartError> {
    let s = scale(c.width, c.height);
    let root = BitMapBackend::with_buffer(buf, (c.width, c.height)).into_drawing_area();
    root.fill(&WHITE).map_err(draw_err)?;
    let top = header(&root, &c.title, c.subtitle.as_deref(), s)?;
    let (foot, foot_h) = footnote_layout(&root, &c.footnote, s);
    draw_footnote(&root, &foot, s)?;
    let body = root.margin(top, foot_h, px(16.0, s), px(40.0, s));

    let bars = clean(&c.bars);
    if bars.is_empty() {
        no_data(&body, s)?;
        return root.present().map_err(draw_err);
    }
    let colors = colors_for_chart(bars.iter().map(|b| b.key.as_str()));
    let reference = c.reference.filter(|r| r.is_finite());
    let base = reference.unwrap_or(0.0);
    let (lo, hi) = value_range(&bars, base);
    let step = nice_step(hi - lo, 8);
    let x_ticks = ticks(lo, hi, step);

    let n = bars.len();
    let label_font = 20.0 * s;
    let label_style = font(label_font, TEXT);
    let (bw, _) = body.dim_in_pixel();
    let max_label_w = (bw as f64 * 0.3) as i32;
    let label_w = bars.iter().map(|b| text_width(&root, &b.label, &label_style)).max().unwrap_or(0).min(max_label_w)
        + px(22.0, s);
    let x_area = px(label_font * 1.9 + 22.0 * s * 1.6, 1.0);
    let unit = c.unit;
    let mut chart = ChartBuilder::on(&body)
        .margin_top(px(6.0, s))
        .margin_right(px(12.0, s))
        .x_label_area_size(x_area)
        .y_label_area_size(label_w)
        .build_cartesian_2d(
            TickAxis { lo, hi, bold: x_ticks.clone(), light: x_ticks },
            TickAxis { lo: 0.0, hi: n as f64, bold: vec![], light: vec![] },
        )
        .map_err(draw_err)?;
    let x_fmt = |v: &f64| unit.format(*v, step);
    let mut mesh = chart.configure_mesh();
    mesh.x_label_formatter(&x_fmt)
        .label_style(font(label_font, TEXT))
        .axis_desc_style(font(22.0 * s, TEXT))
        .bold_line_style(GRID_BOLD.stroke_width(1))
        .light_line_style(GRID_LIGHT.stroke_width(1))
        .axis_style(AXIS.stroke_width(1))
        .disable_y_mesh()
        .y_labels(0)
        .set_all_tick_mark_size(px(6.0, s));
    if !c.x_label.is_empty() {
        mesh.x_desc(c.x_label.as_str());
    }
    mesh.draw().map_err(draw_err)?;

    let layout = Layout { base, lo, label_w, label_font, s, unit };
    draw_bars(&mut chart, (&root, &body), &bars, &colors, &layout)?;
    if let Some(r) = reference {
        chart
            .draw_series([PathElement::new(vec![(r, 0.0), (r, n as f64)], TEXT.stroke_width(px(2.0, s) as u32))])
            .map_err(draw_err)?;
    }
    root.present().map_err(draw_err)
}

/// Bars with a finite value, a missing bound collapsed onto the value.
fn clean(bars: &[Bar]) -> Vec<Bar> {
    bars.iter()
        .filter(|b| b.value.is_finite())
        .map(|b| Bar {
            key: b.key.clone(),
            label: b.label.clone(),
            value: b.value,
            low: if b.low.is_finite() { b.low.min(b.value) } else { b.value },
            high: if b.high.is_finite() { b.high.max(b.value) } else { b.value },
        })
        .collect()
}

/// The value axis: every bar, its interval and `base`, padded on the sides away from `base` for
/// the value labels (an empty range widened).
fn value_range(bars: &[Bar], base: f64) -> (f64, f64) {
    let mut lo = bars.iter().map(|b| b.low).fold(f64::INFINITY, f64::min).min(base);
    let mut hi = bars.iter().map(|b| b.high).fold(f64::NEG_INFINITY, f64::max).max(base);
    if hi - lo <= 0.0 {
        lo -= 0.5_f64.max(lo.abs() * 0.1);
        hi += 0.5_f64.max(hi.abs() * 0.1);
    }
    let pad = (hi - lo) * 0.14; // room for the value labels
    (if lo < base { lo - pad } else { lo }, if hi > base { hi + pad } else { hi })
}

/// What [`draw_bars`] needs of [`render`]'s layout.
struct Layout {
    base: f64,
    lo: f64,
    label_w: i32,
    label_font: f64,
    s: f64,
    unit: BarUnit,
}

/// Each bar from the base to its value, its interval as a whisker, its label left of the plot
/// and its value beyond the bar's far end (or its whisker). `areas`: the root and the body.
fn draw_bars(
    chart: &mut Plot<'_, '_>,
    (root, body): (&Area, &Area),
    bars: &[Bar],
    colors: &[RGBColor],
    l: &Layout,
) -> Result<(), ChartError> {
    let Layout { base, lo, label_w, label_font, s, unit } = *l;
    let n = bars.len();
    let row_px = chart.plotting_area().dim_in_pixel().1 as f64 / n as f64;
    let half = 0.34;
    for (i, (b, color)) in bars.iter().zip(colors).enumerate() {
        let yc = n as f64 - i as f64 - 0.5;
        chart
            .draw_series([Rectangle::new([(base, yc - half), (b.value, yc + half)], color.mix(0.85).filled())])
            .map_err(draw_err)?;
        if b.high > b.low {
            let ws = TEXT.stroke_width(px(2.0, s).max(2) as u32);
            let cap = half * 0.5;
            chart
                .draw_series([
                    PathElement::new(vec![(b.low, yc), (b.high, yc)], ws),
                    PathElement::new(vec![(b.low, yc - cap), (b.low, yc + cap)], ws),
                    PathElement::new(vec![(b.high, yc - cap), (b.high, yc + cap)], ws),
                ])
                .map_err(draw_err)?;
        }
        // Category label left of the plot, value label beyond the bar's far end (or its whisker).
        let (px_l, py) = chart.backend_coord(&(lo, yc));
        let origin = body.get_base_pixel();
        let fs = (label_font).min(row_px * 0.8);
        let ls = anchored(font(fs, TEXT), HPos::Right, VPos::Center);
        let label = ellipsize(root, &b.label, &ls, label_w - px(22.0, s));
        text(body, &label, (px_l - origin.0 - px(10.0, s), py - origin.1), &ls)?;
        let positive = b.value >= base;
        let far = if positive { b.high.max(b.value) } else { b.low.min(b.value) };
        let (fx, fy) = chart.backend_coord(&(far, yc));
        let vs = anchored(font(fs * 0.9, MUTED), if positive { HPos::Left } else { HPos::Right }, VPos::Center);
        let dx = if positive { px(8.0, s) } else { -px(8.0, s) };
        text(body, &unit.format_value(b.value), (fx - origin.0 + dx, fy - origin.1), &vs)?;
    }
    Ok(())
}
