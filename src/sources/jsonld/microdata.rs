//! Microdata JobPosting items (`itemscope` + `itemtype` ending in `/JobPosting`).
//!
//! In: a parsed page. Out: each top-level JobPosting item as a JSON-LD-shaped
//! [`serde_json::Value`] (nested `itemscope`s become nested objects), for the same mapping as JSON-LD.

use scraper::{ElementRef, Html, Node};
use serde_json::{Map, Value};

use super::{is_job_posting_itemtype, sel};

/// Nesting depth followed in microdata items.
const MAX_MICRODATA_DEPTH: usize = 8;

/// Every top-level microdata JobPosting item, converted to a JSON-LD-shaped object.
pub(super) fn microdata_items(doc: &Html) -> Vec<Value> {
    let items = sel("[itemscope][itemtype]");
    doc.select(&items)
        .filter(|e| e.attr("itemtype").is_some_and(is_job_posting_itemtype))
        .filter(|e| !ancestors(*e).any(|a| a.attr("itemtype").is_some_and(is_job_posting_itemtype)))
        .map(|e| microdata_item(e, 0))
        .collect()
}

fn ancestors(e: ElementRef<'_>) -> impl Iterator<Item = ElementRef<'_>> {
    e.ancestors().filter_map(ElementRef::wrap)
}

fn microdata_item(item: ElementRef<'_>, depth: usize) -> Value {
    let mut obj = Map::new();
    if let Some(t) = item.attr("itemtype").and_then(|t| t.split_whitespace().next()) {
        obj.insert("@type".into(), Value::String(t.to_string()));
    }
    for d in item.descendent_elements().skip(1) {
        let Some(props) = d.attr("itemprop") else { continue };
        // Only properties whose nearest item is this one.
        let owner = ancestors(d).find(|a| a.value().attr("itemscope").is_some());
        if owner.map(|o| o.id()) != Some(item.id()) {
            continue;
        }
        let nested = d.value().attr("itemscope").is_some();
        for name in props.split_whitespace() {
            let v = if nested {
                if depth >= MAX_MICRODATA_DEPTH {
                    continue;
                }
                microdata_item(d, depth + 1)
            } else {
                Value::String(prop_value(d, name))
            };
            match obj.get_mut(name) {
                None => {
                    obj.insert(name.to_string(), v);
                }
                Some(Value::Array(a)) => a.push(v),
                Some(prev) => {
                    let first = prev.take();
                    *prev = Value::Array(vec![first, v]);
                }
            }
        }
    }
    Value::Object(obj)
}

/// The value of a microdata property element (the HTML for `description`).
fn prop_value(e: ElementRef<'_>, name: &str) -> String {
    let el = e.value();
    if let Some(c) = el.attr("content") {
        return c.to_string();
    }
    let attr = match el.name() {
        "time" => el.attr("datetime"),
        "a" | "link" | "area" => el.attr("href"),
        "img" | "audio" | "video" | "source" | "iframe" | "embed" => el.attr("src"),
        "object" => el.attr("data"),
        "data" | "meter" => el.attr("value"),
        _ => None,
    };
    if let Some(a) = attr {
        return a.to_string();
    }
    if name == "description" {
        return e.inner_html();
    }
    let mut s = String::new();
    for n in e.descendants() {
        if let Node::Text(t) = n.value() {
            s.push_str(t);
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
