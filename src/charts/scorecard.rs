//! The scorecard: one row per claim (claim and id, a verdict badge in its colour, effect, 95% interval), with
//! a count of verdicts under the title. The height grows with the number of rows.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::color::verdict_color;
use super::png::encode_png;
use super::util::*;
use super::{ChartError, ScoreRow, check_size, draw_err, ensure_font};

const ROW: f64 = 58.0;
const HEAD: f64 = 150.0;
const FOOT: f64 = 30.0;

fn height_for(rows: usize, width: u32) -> u32 {
    let s = (width as f64 / 1600.0).clamp(0.45, 3.0);
    ((HEAD + ROW * rows.max(1) as f64 + FOOT) * s).round() as u32
}

/// The scorecard as PNG bytes (`width` wide; the height follows from the number of rows).
pub fn scorecard(title: &str, rows: &[ScoreRow], width: u32) -> Result<Vec<u8>, ChartError> {
    let (rgb, h) = scorecard_rgb(title, rows, width)?;
    encode_png(&rgb, width, h)
}

/// The scorecard as raw RGB, with its height.
pub fn scorecard_rgb(title: &str, rows: &[ScoreRow], width: u32) -> Result<(Vec<u8>, u32), ChartError> {
    let height = height_for(rows.len(), width).min(8192);
    check_size(width, height)?;
    ensure_font()?;
    let mut buf = vec![255u8; width as usize * height as usize * 3];
    render(title, rows, width, height, &mut buf)?;
    Ok((buf, height))
}

fn render(title: &str, rows: &[ScoreRow], width: u32, height: u32, buf: &mut [u8]) -> Result<(), ChartError> {
    let s = (width as f64 / 1600.0).clamp(0.45, 3.0);
    let root = BitMapBackend::with_buffer(buf, (width, height)).into_drawing_area();
    root.fill(&WHITE).map_err(draw_err)?;
    let count = |v: &str| rows.iter().filter(|r| r.verdict.trim().eq_ignore_ascii_case(v)).count();
    let (sup, con) = (count("supported"), count("contradicted"));
    let summary = format!(
        "{} claims: {} supported, {} contradicted, {} inconclusive",
        rows.len(),
        sup,
        con,
        rows.len() - sup - con
    );
    let mut y = header(&root, title, Some(&summary), s)?;
    let w = width as i32;
    let left = px(28.0, s);
    let inner = w - 2 * left;
    // Columns: claim 52%, verdict 13%, effect 17%, interval 18%.
    let cols = [0.0, 0.52, 0.65, 0.82].map(|f| left + (inner as f64 * f) as i32);
    let widths = [cols[1] - cols[0], cols[2] - cols[1], cols[3] - cols[2], left + inner - cols[3]];
    let head_style = anchored(font(19.0 * s, MUTED), HPos::Left, VPos::Center);
    let head_h = px(36.0, s);
    let hy = y + head_h / 2;
    for (i, h) in ["Claim", "Verdict", "Effect", "95% interval"].iter().enumerate() {
        text(&root, h, (cols[i] + px(10.0, s), hy), &head_style)?;
    }
    y += head_h;
    root.draw(&PathElement::new(vec![(left, y), (left + inner, y)], AXIS.stroke_width(px(2.0, s) as u32)))
        .map_err(draw_err)?;
    if rows.is_empty() {
        let style = anchored(font(30.0 * s, MUTED), HPos::Center, VPos::Center);
        return text(&root, "No claims", (w / 2, y + px(ROW / 2.0, s)), &style)
            .and_then(|_| root.present().map_err(draw_err));
    }
    let row_h = px(ROW, s);
    let claim_style = anchored(font(20.0 * s, TEXT), HPos::Left, VPos::Center);
    let id_style = anchored(font(15.0 * s, MUTED), HPos::Left, VPos::Center);
    let cell_style = anchored(font(20.0 * s, TEXT), HPos::Left, VPos::Center);
    let badge_style = anchored(font(18.0 * s, WHITE), HPos::Center, VPos::Center);
    for (i, r) in rows.iter().enumerate() {
        let top = y + i as i32 * row_h;
        if top + row_h > height as i32 {
            break;
        }
        if i % 2 == 1 {
            root.draw(&Rectangle::new([(left, top), (left + inner, top + row_h)], RGBColor(0xF5, 0xF5, 0xF5).filled()))
                .map_err(draw_err)?;
        }
        let mid = top + row_h / 2;
        let pad = px(10.0, s);
        let claim = ellipsize(&root, &r.claim, &claim_style, widths[0] - 2 * pad);
        text(&root, &claim, (cols[0] + pad, mid - px(9.0, s)), &claim_style)?;
        let id = ellipsize(&root, &r.id, &id_style, widths[0] - 2 * pad);
        text(&root, &id, (cols[0] + pad, mid + px(15.0, s)), &id_style)?;
        // Verdict badge.
        let vc = verdict_color(&r.verdict);
        let bx0 = cols[1] + pad;
        let bx1 = cols[1] + widths[1] - pad;
        let bh = px(17.0, s);
        root.draw(&Rectangle::new([(bx0, mid - bh), (bx1, mid + bh)], vc.filled())).map_err(draw_err)?;
        let verdict = if r.verdict.trim().is_empty() { "n/a".to_string() } else { r.verdict.trim().to_string() };
        let verdict = ellipsize(&root, &verdict, &badge_style, bx1 - bx0 - pad);
        text(&root, &verdict, ((bx0 + bx1) / 2, mid), &badge_style)?;
        let effect = ellipsize(&root, &r.effect, &cell_style, widths[2] - 2 * pad);
        text(&root, &effect, (cols[2] + pad, mid), &cell_style)?;
        let interval = ellipsize(&root, &r.interval, &cell_style, widths[3] - 2 * pad);
        text(&root, &interval, (cols[3] + pad, mid), &cell_style)?;
    }
    let end = y + rows.len() as i32 * row_h;
    root.draw(&PathElement::new(vec![(left, end), (left + inner, end)], GRID_BOLD.stroke_width(1)))
        .map_err(draw_err)?;
    root.present().map_err(draw_err)
}
