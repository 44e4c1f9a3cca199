//! Time charts of shares: the line chart (bands, hollow flagged points, legend), small multiples and the
//! projection fan chart. All three draw their plots through `draw_plot`.

use chrono::NaiveDate;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::color::colors_for_chart;
use super::png::encode_png;
use super::util::*;
use super::{ChartError, Fan, LineChart, Point, Series, check_size, draw_err, ensure_font};

/// Where the plot of a line chart lies in the image, and how values map to pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlotArea {
    /// Left, top, right (exclusive) and bottom (exclusive) pixel bounds of the plotting area.
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
    /// The share at the top of the y axis (the bottom is 0).
    pub y_top: f64,
    /// The first and last day shown on the x axis.
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    y_px_at_zero: i32,
    y_px_at_top: i32,
    x_px_at_first: i32,
    x_px_at_last: i32,
}

impl PlotArea {
    /// The pixel row of a share.
    pub fn y_px(&self, share: f64) -> i32 {
        let f = share / self.y_top;
        (self.y_px_at_zero as f64 + f * (self.y_px_at_top - self.y_px_at_zero) as f64).round() as i32
    }

    /// The pixel column of a date.
    pub fn x_px(&self, date: NaiveDate) -> i32 {
        let span = (self.last_day - self.first_day).num_days().max(1) as f64;
        let f = (date - self.first_day).num_days() as f64 / span;
        (self.x_px_at_first as f64 + f * (self.x_px_at_last - self.x_px_at_first) as f64).round() as i32
    }
}

/// A series ready to draw.
struct Prepared {
    label: String,
    color: RGBColor,
    points: Vec<Point>,
    dashed: bool,
    band_alpha: f64,
    markers: bool,
    legend: bool,
}

struct PlotOpts<'a> {
    s: f64,
    x_label: &'a str,
    y_label: &'a str,
    y_max: Option<f64>,
    /// A horizontal reference line (share) with its label.
    level: Option<(f64, String)>,
    /// A vertical dashed line (e.g. the end of the observed data).
    vline: Option<NaiveDate>,
    /// Compact axes for small multiples.
    compact: bool,
}

fn prepare(series: &[Series]) -> Vec<Prepared> {
    let colors = colors_for_chart(series.iter().map(|s| s.key.as_str()));
    // Many overlapping bands turn muddy: lighter bands when there are more than three.
    let solid_alpha = if series.iter().filter(|s| !s.dashed).count() > 3 { 0.12 } else { 0.18 };
    series
        .iter()
        .zip(colors)
        .map(|(s, color)| Prepared {
            label: s.label.clone(),
            color,
            points: clean_points(&s.points),
            dashed: s.dashed,
            band_alpha: if s.dashed { 0.08 } else { solid_alpha },
            markers: !s.dashed,
            legend: true,
        })
        .collect()
}

/// Draws axes, bands, lines and markers into `area`; `None` when there is nothing to draw.
fn draw_plot(area: &Area, series: &[Prepared], o: &PlotOpts) -> Result<Option<PlotArea>, ChartError> {
    let s = o.s;
    let dates = series.iter().flat_map(|p| p.points.iter().map(|q| q.date));
    let (Some(first), Some(last)) = (dates.clone().min(), dates.max()) else {
        return Ok(None);
    };
    // Intervals of flagged points (few postings) can be huge: they do not stretch the axis (the band is clipped).
    let max_seen = series
        .iter()
        .flat_map(|p| p.points.iter().map(|q| if q.flagged { q.value } else { q.high.max(q.value) }))
        .chain(o.level.as_ref().map(|(l, _)| *l))
        .fold(0.0f64, f64::max);
    let (y_top, y_step) = share_axis_max(max_seen, o.y_max);
    let (x_lo, x_hi) = x_range(first, last);

    let (label_font, desc_font) = if o.compact { (15.0 * s, 16.0 * s) } else { (20.0 * s, 22.0 * s) };
    let x_area =
        if o.x_label.is_empty() { px(label_font * 1.9, 1.0) } else { px(label_font * 1.9 + desc_font * 1.6, 1.0) };
    let y_tick_w = ticks(0.0, y_top, y_step)
        .iter()
        .map(|v| text_width(area, &pct_label(*v, y_step), &font(label_font, TEXT)))
        .max()
        .unwrap_or(40);
    let y_area = y_tick_w + px(if o.y_label.is_empty() { 14.0 } else { 14.0 + desc_font * 1.5 }, 1.0);
    let (w, _) = area.dim_in_pixel();
    let date_ticks = date_ticks(x_lo, x_hi, w as i32 - y_area);
    let monthly = date_ticks.monthly_labels;
    let y_ticks = ticks(0.0, y_top, y_step);
    let y_light: Vec<f64> = ticks(0.0, y_top, y_step / 2.0);

    let mut chart = ChartBuilder::on(area)
        .margin_right(px(18.0, s))
        .margin_top(px(10.0, s))
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(
            TickAxis { lo: x_lo, hi: x_hi, bold: date_ticks.bold.clone(), light: date_ticks.light.clone() },
            TickAxis { lo: 0.0, hi: y_top, bold: y_ticks, light: y_light },
        )
        .map_err(draw_err)?;
    draw_mesh(&mut chart, o, (label_font, desc_font), monthly, y_step)?;

    let line_w = if o.compact { px(2.0, s.max(1.0)) as u32 } else { px(3.0, s).max(2) as u32 };
    // Bands first, so every line is drawn over every band.
    draw_bands(&mut chart, series, y_top)?;
    if let Some(d) = o.vline {
        let x = day(d);
        chart
            .draw_series(DashedLineSeries::new(
                vec![(x, 0.0), (x, y_top)],
                px(8.0, s),
                px(6.0, s),
                AXIS.stroke_width(px(2.0, s) as u32),
            ))
            .map_err(draw_err)?;
    }
    if let Some((level, label)) = &o.level {
        draw_level(area, &mut chart, (x_lo, x_hi), *level, label, s)?;
    }
    draw_lines(&mut chart, series, y_top, line_w, s)?;
    draw_markers(&mut chart, series, (x_lo, x_hi), y_top, o)?;

    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let (x_px_at_first, y_px_at_zero) = chart.backend_coord(&(day(first), 0.0));
    let (x_px_at_last, y_px_at_top) = chart.backend_coord(&(day(last), y_top));
    Ok(Some(PlotArea {
        x0: xr.start,
        y0: yr.start,
        x1: xr.end,
        y1: yr.end,
        y_top,
        first_day: first,
        last_day: last,
        y_px_at_zero,
        y_px_at_top,
        x_px_at_first,
        x_px_at_last,
    }))
}

/// The grid, the tick labels (dates; shares in steps of `y_step`) and the axis descriptions.
fn draw_mesh(
    chart: &mut Plot<'_, '_>,
    o: &PlotOpts,
    (label_font, desc_font): (f64, f64),
    monthly: bool,
    y_step: f64,
) -> Result<(), ChartError> {
    let x_fmt = |x: &f64| date_label(*x, monthly);
    let y_fmt = |y: &f64| pct_label(*y, y_step);
    let mut mesh = chart.configure_mesh();
    mesh.x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style(font(label_font, TEXT))
        .axis_desc_style(font(desc_font, TEXT))
        .bold_line_style(GRID_BOLD.stroke_width(1))
        .light_line_style(GRID_LIGHT.stroke_width(1))
        .axis_style(AXIS.stroke_width(1))
        .set_all_tick_mark_size(px(6.0, o.s));
    if !o.x_label.is_empty() {
        mesh.x_desc(o.x_label);
    }
    if !o.y_label.is_empty() {
        mesh.y_desc(o.y_label);
    }
    mesh.draw().map_err(draw_err)
}

/// Each series' interval band, clipped to `y_top`. A flagged point's interval (few postings) is not
/// drawn: its hollow circle says it is unreliable, and its huge interval would dominate the picture.
fn draw_bands(chart: &mut Plot<'_, '_>, series: &[Prepared], y_top: f64) -> Result<(), ChartError> {
    for p in series {
        for seg in segments(&p.points) {
            if seg.len() < 2 || seg.iter().all(|q| q.high - q.low <= 0.0) {
                continue;
            }
            let high = |q: &Point| if q.flagged { q.value } else { q.high }.min(y_top);
            let low = |q: &Point| if q.flagged { q.value } else { q.low }.min(y_top);
            let mut poly: Vec<(f64, f64)> = seg.iter().map(|q| (day(q.date), high(q))).collect();
            poly.extend(seg.iter().rev().map(|q| (day(q.date), low(q))));
            chart
                .draw_series(std::iter::once(Polygon::new(poly, p.color.mix(p.band_alpha).filled())))
                .map_err(draw_err)?;
        }
    }
    Ok(())
}

/// A dashed horizontal line at `level` across `x` (a claim's threshold), labelled above its left end.
fn draw_level(
    area: &Area,
    chart: &mut Plot<'_, '_>,
    (x_lo, x_hi): (f64, f64),
    level: f64,
    label: &str,
    s: f64,
) -> Result<(), ChartError> {
    let c = RGBColor(0xB7, 0x1C, 0x1C);
    chart
        .draw_series(DashedLineSeries::new(
            vec![(x_lo, level), (x_hi, level)],
            px(14.0, s),
            px(8.0, s),
            c.stroke_width(px(2.0, s) as u32),
        ))
        .map_err(draw_err)?;
    let (lx, ly) = chart.backend_coord(&(x_lo, level));
    let style = anchored(font(19.0 * s, c), HPos::Left, VPos::Bottom);
    let base = area.get_base_pixel();
    text(area, label, (lx - base.0 + px(8.0, s), ly - base.1 - px(4.0, s)), &style)?;
    Ok(())
}

/// Each series' line (dashed when it says so), cut where it rises above `y_top`.
fn draw_lines(
    chart: &mut Plot<'_, '_>,
    series: &[Prepared],
    y_top: f64,
    line_w: u32,
    s: f64,
) -> Result<(), ChartError> {
    for p in series {
        for seg in segments(&p.points) {
            let pts: Vec<(f64, f64)> = seg.iter().map(|q| (day(q.date), q.value)).collect();
            for run in clip_top(&pts, y_top) {
                if run.len() < 2 {
                    continue;
                }
                if p.dashed {
                    chart
                        .draw_series(DashedLineSeries::new(run, px(12.0, s), px(8.0, s), p.color.stroke_width(line_w)))
                        .map_err(draw_err)?;
                } else {
                    chart.draw_series(LineSeries::new(run, p.color.stroke_width(line_w))).map_err(draw_err)?;
                }
            }
        }
    }
    Ok(())
}

/// Markers: hollow circles for flagged points (always), small dots when there is room, and a dot
/// for any isolated point (a run of one) so that it does not vanish.
fn draw_markers(
    chart: &mut Plot<'_, '_>,
    series: &[Prepared],
    (x_lo, x_hi): (f64, f64),
    y_top: f64,
    o: &PlotOpts,
) -> Result<(), ChartError> {
    let s = o.s;
    let plot_w = chart.plotting_area().dim_in_pixel().0 as f64;
    for p in series {
        let span = (x_hi - x_lo).max(1.0);
        let min_gap = p.points.windows(2).map(|w| day(w[1].date) - day(w[0].date)).fold(f64::INFINITY, f64::min);
        let roomy = min_gap.is_finite() && min_gap / span * plot_w >= 13.0;
        let segs = segments(&p.points);
        let r_dot = px(if o.compact { 2.5 } else { 3.5 }, s.max(0.7)) as u32;
        let r_hollow = px(if o.compact { 4.0 } else { 6.0 }, s.max(0.7)) as u32;
        for seg in &segs {
            for q in seg.iter().filter(|q| q.value <= y_top) {
                let at = (day(q.date), q.value);
                if q.flagged {
                    chart
                        .draw_series([
                            Circle::new(at, r_hollow, WHITE.filled()),
                            Circle::new(at, r_hollow, p.color.stroke_width(px(2.0, s).max(2) as u32)),
                        ])
                        .map_err(draw_err)?;
                } else if (p.markers && roomy) || seg.len() == 1 {
                    chart.draw_series([Circle::new(at, r_dot, p.color.filled())]).map_err(draw_err)?;
                }
            }
        }
    }
    Ok(())
}

/// Cuts a polyline where it rises above `top` (a fixed y axis lower than the data): the runs below it, with
/// the crossing points added, so that nothing is drawn flattened along the top edge.
fn clip_top(pts: &[(f64, f64)], top: f64) -> Vec<Vec<(f64, f64)>> {
    let mut runs = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    let cross = |a: (f64, f64), b: (f64, f64)| {
        let t = if b.1 != a.1 { (top - a.1) / (b.1 - a.1) } else { 0.0 };
        (a.0 + t * (b.0 - a.0), top)
    };
    for (i, &b) in pts.iter().enumerate() {
        let b_in = b.1 <= top;
        match i.checked_sub(1).map(|j| pts[j]) {
            None => {
                if b_in {
                    run.push(b);
                }
            }
            Some(a) => {
                let a_in = a.1 <= top;
                match (a_in, b_in) {
                    (true, true) => run.push(b),
                    (true, false) => {
                        run.push(cross(a, b));
                        runs.push(std::mem::take(&mut run));
                    }
                    (false, true) => {
                        run.push(cross(a, b));
                        run.push(b);
                    }
                    (false, false) => {}
                }
            }
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// The legend column on the right: colour swatch, label and the last value; sorted by last value, largest
/// first, so it reads in the same order as the lines' ends. Returns the width it needs.
fn legend_width(area: &Area, series: &[Prepared], s: f64) -> i32 {
    let style = font(21.0 * s, TEXT);
    let widest =
        series.iter().filter(|p| p.legend).map(|p| text_width(area, &legend_text(p), &style)).max().unwrap_or(0);
    if widest == 0 {
        return 0;
    }
    let (w, _) = area.dim_in_pixel();
    (widest + px(80.0, s)).max(px(160.0, s)).min((w as f64 * 0.32) as i32)
}

fn legend_text(p: &Prepared) -> String {
    match p.points.last() {
        Some(q) if p.markers || p.dashed => format!("{}  {}", p.label, pct_value(q.value)),
        _ => p.label.clone(),
    }
}

fn draw_legend(area: &Area, series: &[Prepared], s: f64, max_w: i32) -> Result<(), ChartError> {
    let mut order: Vec<&Prepared> = series.iter().filter(|p| p.legend).collect();
    order.sort_by(|a, b| {
        let la = a.points.last().map(|q| q.value).unwrap_or(-1.0);
        let lb = b.points.last().map(|q| q.value).unwrap_or(-1.0);
        lb.total_cmp(&la)
    });
    let style = anchored(font(21.0 * s, TEXT), HPos::Left, VPos::Center);
    let row = px(34.0, s);
    let (_, h) = area.dim_in_pixel();
    let mut y = px(24.0, s);
    for p in order {
        if y > h as i32 - row {
            break;
        }
        let x = px(6.0, s);
        let sw = px(34.0, s);
        let thick = px(4.0, s).max(2) as u32;
        if p.dashed {
            for k in 0..3 {
                let a = x + k * sw / 3;
                area.draw(&PathElement::new(vec![(a, y), (a + sw / 5, y)], p.color.stroke_width(thick)))
                    .map_err(draw_err)?;
            }
        } else {
            area.draw(&Rectangle::new([(x, y - px(9.0, s)), (x + sw, y + px(9.0, s))], p.color.mix(0.18).filled()))
                .map_err(draw_err)?;
            area.draw(&PathElement::new(vec![(x, y), (x + sw, y)], p.color.stroke_width(thick))).map_err(draw_err)?;
        }
        let label = ellipsize(area, &legend_text(p), &style, max_w - sw - px(20.0, s));
        text(area, &label, (x + sw + px(10.0, s), y), &style)?;
        y += row;
    }
    // Explain the hollow circles when there are any.
    if series.iter().any(|p| p.points.iter().any(|q| q.flagged)) && y <= h as i32 - row {
        y += row / 3;
        let cx = px(6.0, s) + px(17.0, s);
        area.draw(&Circle::new((cx, y), px(6.0, s) as u32, MUTED.stroke_width(px(2.0, s).max(2) as u32)))
            .map_err(draw_err)?;
        let note = anchored(font(18.0 * s, MUTED), HPos::Left, VPos::Center);
        let label = ellipsize(area, "too few postings", &note, max_w - px(60.0, s));
        text(area, &label, (px(6.0, s) + px(44.0, s), y), &note)?;
    }
    Ok(())
}

fn has_data(series: &[Prepared]) -> bool {
    series.iter().any(|p| !p.points.is_empty())
}

/// Renders the whole line chart into `buf`; returns the plot area when there was data.
fn render_line(c: &LineChart, buf: &mut [u8]) -> Result<Option<PlotArea>, ChartError> {
    ensure_font()?;
    let s = scale(c.width, c.height);
    let root = BitMapBackend::with_buffer(buf, (c.width, c.height)).into_drawing_area();
    root.fill(&WHITE).map_err(draw_err)?;
    let top = header(&root, &c.title, c.subtitle.as_deref(), s)?;
    let (foot, foot_h) = footnote_layout(&root, &c.footnote, s);
    draw_footnote(&root, &foot, s)?;
    let series = prepare(&c.series);
    let body = root.margin(top, foot_h, px(16.0, s), px(16.0, s));
    if !has_data(&series) {
        no_data(&body, s)?;
        root.present().map_err(draw_err)?;
        return Ok(None);
    }
    let lw = legend_width(&root, &series, s);
    let (bw, bh) = body.dim_in_pixel();
    let (plot_part, legend_part) = body.split_horizontally(bw as i32 - lw);
    let opts = PlotOpts {
        s,
        x_label: &c.x_label,
        y_label: &c.y_label,
        y_max: c.y_max,
        level: None,
        vline: None,
        compact: false,
    };
    let area = draw_plot(&plot_part, &series, &opts)?;
    let _ = bh;
    draw_legend(&legend_part, &series, s, lw)?;
    root.present().map_err(draw_err)?;
    Ok(area)
}

/// The line chart as raw RGB (`width * height * 3` bytes, rows top to bottom).
pub fn line_chart_rgb(c: &LineChart) -> Result<Vec<u8>, ChartError> {
    check_size(c.width, c.height)?;
    let mut buf = vec![255u8; c.width as usize * c.height as usize * 3];
    render_line(c, &mut buf)?;
    Ok(buf)
}

/// The line chart as PNG bytes.
pub fn line_chart(c: &LineChart) -> Result<Vec<u8>, ChartError> {
    let rgb = line_chart_rgb(c)?;
    encode_png(&rgb, c.width, c.height)
}

/// Where `line_chart` puts its plot (and how it maps values), or `None` when the chart has no data.
pub fn plot_area(c: &LineChart) -> Result<Option<PlotArea>, ChartError> {
    check_size(c.width, c.height)?;
    let mut buf = vec![255u8; c.width as usize * c.height as usize * 3];
    render_line(c, &mut buf)
}

/// A grid of small line charts (one per panel: name and series), each with its own y scale, under one title.
pub fn small_multiples(
    title: &str,
    footnote: &str,
    panels: &[(String, Vec<Series>)],
    width: u32,
    height: u32,
) -> Result<Vec<u8>, ChartError> {
    check_size(width, height)?;
    ensure_font()?;
    let s = scale(width, height);
    let mut buf = vec![255u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let top = header(&root, title, None, s)?;
        let (foot, foot_h) = footnote_layout(&root, footnote, s);
        draw_footnote(&root, &foot, s)?;
        let body = root.margin(top, foot_h, px(12.0, s), px(12.0, s));
        let prepared: Vec<(String, Vec<Prepared>)> =
            panels.iter().map(|(name, series)| (name.clone(), prepare(series))).collect();
        if prepared.is_empty() || !prepared.iter().any(|(_, p)| has_data(p)) {
            no_data(&body, s)?;
        } else {
            let n = prepared.len();
            let cols = (n as f64).sqrt().ceil() as usize;
            let rows = n.div_ceil(cols);
            let cells = body.split_evenly((rows, cols));
            // Fonts shrink with the number of rows so that each panel stays readable.
            let ps = (s * (3.0 / rows.max(3) as f64).sqrt()).max(0.5);
            for ((name, series), cell) in prepared.iter().zip(cells.iter()) {
                draw_panel(cell, name, series, ps)?;
            }
        }
        root.present().map_err(draw_err)?;
    }
    encode_png(&buf, width, height)
}

fn draw_panel(cell: &Area, name: &str, series: &[Prepared], s: f64) -> Result<(), ChartError> {
    let (w, _) = cell.dim_in_pixel();
    let title_style = anchored(font(21.0 * s, TEXT), HPos::Left, VPos::Top);
    let name = ellipsize(cell, name, &title_style, w as i32 - px(16.0, s));
    text(cell, &name, (px(8.0, s), px(6.0, s)), &title_style)?;
    // Series labels in their colours, flowing over as many lines as needed.
    let label_font = 16.0 * s;
    let mut x = px(8.0, s);
    let mut y = px(36.0, s);
    let line_h = px(21.0, s);
    for p in series.iter().filter(|p| p.legend) {
        let style = anchored(font(label_font, p.color), HPos::Left, VPos::Top);
        let label = format!("■ {}", p.label);
        let lw = text_width(cell, &label, &style) + px(12.0, s);
        if x > px(8.0, s) && x + lw > w as i32 - px(8.0, s) {
            x = px(8.0, s);
            y += line_h;
        }
        text(cell, &label, (x, y), &style)?;
        x += lw;
    }
    let plot = cell.margin(y + line_h, px(4.0, s), 0, 0);
    if !has_data(series) {
        return no_data(&plot, s * 0.5);
    }
    let opts = PlotOpts { s, x_label: "", y_label: "", y_max: None, level: None, vline: None, compact: true };
    draw_plot(&plot, series, &opts)?;
    Ok(())
}

fn render_fan(
    title: &str,
    footnote: &str,
    fan: &Fan,
    width: u32,
    height: u32,
    buf: &mut [u8],
) -> Result<Option<PlotArea>, ChartError> {
    ensure_font()?;
    let s = scale(width, height);
    let root = BitMapBackend::with_buffer(buf, (width, height)).into_drawing_area();
    root.fill(&WHITE).map_err(draw_err)?;
    let subtitle = fan.level.filter(|l| l.is_finite()).map(|l| {
        format!(
            "Shaded: observed 95% interval and the projection's 95% prediction interval; dashed red line: level {}",
            pct_value(l.clamp(0.0, 1.0))
        )
    });
    let top = header(&root, title, subtitle.as_deref(), s)?;
    let (foot, foot_h) = footnote_layout(&root, footnote, s);
    draw_footnote(&root, &foot, s)?;
    let mut series = prepare(std::slice::from_ref(&fan.history));
    let color = series.first().map(|p| p.color).unwrap_or(RGBColor(0, 0x72, 0xB2));
    let mut proj: Vec<Point> = fan
        .projection
        .iter()
        .map(|&(date, mid, lo, hi)| Point { date, value: mid, low: lo, high: hi, n: 0, flagged: false })
        .collect();
    proj = clean_points(&proj);
    let last_hist = series.first().and_then(|p| p.points.last().cloned());
    if let (Some(h), Some(first)) = (&last_hist, proj.first())
        && first.date > h.date
    {
        proj.insert(0, Point { date: h.date, value: h.value, low: h.value, high: h.value, n: 0, flagged: false });
    }
    if !proj.is_empty() {
        series.push(Prepared {
            label: "Projection (95% prediction interval)".to_string(),
            color,
            points: proj,
            dashed: true,
            band_alpha: 0.12,
            markers: false,
            legend: true,
        });
    }
    let body = root.margin(top, foot_h, px(16.0, s), px(16.0, s));
    if !has_data(&series) {
        no_data(&body, s)?;
        root.present().map_err(draw_err)?;
        return Ok(None);
    }
    let lw = legend_width(&root, &series, s);
    let (bw, _) = body.dim_in_pixel();
    let (plot_part, legend_part) = body.split_horizontally(bw as i32 - lw);
    let level = fan.level.filter(|l| l.is_finite()).map(|l| {
        let l = l.clamp(0.0, 1.0);
        (l, format!("level {}", pct_value(l)))
    });
    let opts = PlotOpts {
        s,
        x_label: "",
        y_label: "Share of postings",
        y_max: None,
        level,
        vline: last_hist.map(|h| h.date),
        compact: false,
    };
    let area = draw_plot(&plot_part, &series, &opts)?;
    draw_legend(&legend_part, &series, s, lw)?;
    root.present().map_err(draw_err)?;
    Ok(area)
}

/// A projection chart: the observed history (line, band), then the projection's median as a dashed line in a
/// fan (its 95% prediction interval) and, when set, the target level as a red dashed line. PNG bytes.
pub fn fan_chart(title: &str, footnote: &str, fan: &Fan, width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let rgb = fan_chart_rgb(title, footnote, fan, width, height)?;
    encode_png(&rgb, width, height)
}

/// `fan_chart` as raw RGB.
pub fn fan_chart_rgb(title: &str, footnote: &str, fan: &Fan, width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    check_size(width, height)?;
    let mut buf = vec![255u8; width as usize * height as usize * 3];
    render_fan(title, footnote, fan, width, height, &mut buf)?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::clip_top;

    #[test]
    fn clip_top_cuts_where_the_line_leaves_the_axis() {
        let runs = clip_top(&[(0.0, 0.1), (1.0, 0.3), (2.0, 0.3), (3.0, 0.1), (4.0, 0.1)], 0.2);
        let r = |v: &Vec<(f64, f64)>| v.iter().map(|(x, y)| ((x * 1e6).round(), (y * 1e6).round())).collect::<Vec<_>>();
        assert_eq!(runs.len(), 2);
        assert_eq!(r(&runs[0]), r(&vec![(0.0, 0.1), (0.5, 0.2)]));
        assert_eq!(r(&runs[1]), r(&vec![(2.5, 0.2), (3.0, 0.1), (4.0, 0.1)]));
        assert!(clip_top(&[(0.0, 0.5), (1.0, 0.6)], 0.2).is_empty());
    }
}
