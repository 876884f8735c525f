//! Row labels of two-sided summaries: the totals of each side, income sources and kinds
//! of spending.

use super::{atoms, Term::*, EXPENSE_TYPES, SOURCES};

/// Totals of the income side of a two-sided table.
pub fn income_total(k: &str) -> Option<&'static str> {
    Some(match k {
        "本年收入合计" | "本年收入" | "收入本年合计" | "当年收入小计" | "当年收入合计" => {
            "year_income"
        }
        "上年结转结余"
        | "上年结转"
        | "年初结转和结余"
        | "上年结余、结转"
        | "上年结余"
        | "年初财政拨款结转和结余"
        | "上年结转和结余"
        | "上年结余结转"
        | "年初结转结余"
        | "上年结转资金"
        | "上年结转和结余资金"
        | "上年结转(结余)"
        | "上年结转结余资金"
        | "上年财政拨款结转"
        | "上年财政拨款结转和结余" => "carryover_in",
        "收入总计" | "总计" => "income_grand_total",
        "使用非财政拨款结余和专用结余"
        | "使用非财政拨款结余"
        | "使用非财政拨款结余(含专用结余)"
        | "用事业基金弥补收支差额"
        | "使用专用结余" => "nonfiscal_surplus_used",
        _ => return None,
    })
}

/// Totals of the expenditure side of a two-sided table.
pub fn expenditure_total(k: &str) -> Option<&'static str> {
    Some(match k {
        "本年支出合计" | "本年支出" | "当年支出小计" | "当年支出合计" => {
            "year_expenditure"
        }
        "年终结转结余"
        | "年末结转和结余"
        | "结转下年"
        | "年末财政拨款结转和结余"
        | "年终结转"
        | "年末结转结余"
        | "年终结余"
        | "结转下年资金"
        | "结转下年支出"
        | "年末结转"
        | "年末结余" => "carryover_out",
        "支出总计" | "总计" => "expenditure_grand_total",
        "结余分配" => "surplus_distribution",
        _ => return None,
    })
}

/// The income source a summary line names (`一般公共预算拨款收入` → general_budget).
pub fn income_source(k: &str) -> Option<&'static str> {
    match atoms(k, None)?.as_slice() {
        [Measure(t)] | [Measure(t), Total] | [Measure(t), Kind(_)]
            if SOURCES.contains(t) || *t == "general_budget_fiscal" =>
        {
            Some(t)
        }
        _ => None,
    }
}

/// The kind of spending a summary line names (`一、基本支出` → basic).
pub fn expense_type(k: &str) -> Option<&'static str> {
    match atoms(k, None)?.as_slice() {
        [Measure(t)] if EXPENSE_TYPES.contains(t) => Some(t),
        _ => None,
    }
}
