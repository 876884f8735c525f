//! Table types: from the printed title when it names one, else from the header structure
//! and the row codes (titles are often garbled, missing or printed inside the grid).

use crate::text::key;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum TableType {
    Summary,
    Income,
    Expenditure,
    FiscalSummary,
    FiscalExpenditure,
    FiscalBasic,
    GeneralExpenditure,
    GeneralBasic,
    BasicSummary,
    EconSummary,
    ThreePublic,
    GovFund,
    StateCapital,
    Project,
    Procurement,
    OperatingFunds,
    Performance,
    Other,
}

impl TableType {
    pub fn as_str(&self) -> &'static str {
        match self {
            TableType::Summary => "summary",
            TableType::Income => "income",
            TableType::Expenditure => "expenditure",
            TableType::FiscalSummary => "fiscal_summary",
            TableType::FiscalExpenditure => "fiscal_expenditure",
            TableType::FiscalBasic => "fiscal_basic",
            TableType::GeneralExpenditure => "general_expenditure",
            TableType::GeneralBasic => "general_basic",
            TableType::BasicSummary => "basic_summary",
            TableType::EconSummary => "econ_summary",
            TableType::ThreePublic => "three_public",
            TableType::GovFund => "gov_fund",
            TableType::StateCapital => "state_capital",
            TableType::Project => "project",
            TableType::Procurement => "procurement",
            TableType::OperatingFunds => "operating_funds",
            TableType::Performance => "performance",
            TableType::Other => "other",
        }
    }

    /// Two-sided tables: 收入 on the left, 支出 on the right.
    pub fn is_two_sided(&self) -> bool {
        matches!(self, TableType::Summary | TableType::FiscalSummary)
    }

    /// Tables whose rows are 支出功能分类 subjects.
    pub fn is_functional(&self) -> bool {
        matches!(
            self,
            TableType::Income
                | TableType::Expenditure
                | TableType::FiscalExpenditure
                | TableType::GeneralExpenditure
                | TableType::GovFund
                | TableType::StateCapital
                | TableType::Summary
                | TableType::FiscalSummary
        )
    }

    /// Tables whose rows are 经济分类 subjects.
    pub fn is_economic(&self) -> bool {
        matches!(
            self,
            TableType::GeneralBasic
                | TableType::FiscalBasic
                | TableType::BasicSummary
                | TableType::EconSummary
                | TableType::OperatingFunds
        )
    }
}

/// Type named by a title (or a title-like first row). None when the text names no table.
pub fn classify_title(title: &str) -> Option<TableType> {
    let t = key(title);
    let t = t.as_str();
    let has = |s: &str| t.contains(s);
    if t.chars().count() < 3 {
        return None;
    }
    // Sentences in the narrative mention table names too; titles are short.
    if t.chars().count() > 48 || has("。") || has("，") || has("......") {
        return None;
    }
    if has("绩效") {
        return Some(TableType::Performance);
    }
    if has("三公") {
        return Some(TableType::ThreePublic);
    }
    if has("政府性基金") && (has("支出") || has("决算表")) && has("表") {
        return Some(TableType::GovFund);
    }
    if has("国有资本经营") && has("支出") && has("表") {
        return Some(TableType::StateCapital);
    }
    if has("机构运转经费") || has("机关运行经费") && has("表") {
        return Some(TableType::OperatingFunds);
    }
    if has("政府采购") && has("表") {
        return Some(TableType::Procurement);
    }
    // (一般公共预算财政拨款收入支出决算表 is 云南's name of the general-budget table.)
    if (has("财政拨款收支") || has("财政拨款收入支出") || has("政府预算拨款收支"))
        && has("表")
        && !has("一般公共预算")
    {
        return Some(TableType::FiscalSummary);
    }
    // 项目支出表 in any wording (一般公共预算项目支出预算表 too).
    if has("项目支出") && has("表") && !has("基本支出") {
        return Some(TableType::Project);
    }
    // 财政拨款支出表 / 财政拨款基本支出表 (all appropriations, by function or economic
    // class): not the department's whole expenditure, not only the general budget.
    if has("财政拨款") && has("基本支出") && has("表") && !has("一般公共预算") {
        return Some(TableType::FiscalBasic);
    }
    if has("财政拨款")
        && has("支出")
        && has("表")
        && !has("一般公共预算")
        && !has("政府性基金")
        && !has("国有资本")
        && !has("收入")
        && !has("收支")
    {
        return Some(TableType::FiscalExpenditure);
    }
    if has("一般公共预算") && has("基本支出") && has("表") {
        return Some(TableType::GeneralBasic);
    }
    if has("一般公共预算") && has("支出") && has("表") {
        return Some(TableType::GeneralExpenditure);
    }
    if has("基本支出总表") || has("基本支出预算总表") {
        return Some(TableType::BasicSummary);
    }
    // 基本支出决算表, 基本支出预算表, 基本支出部门预算经济分类预算表 …: the basic
    // expenditure by economic class.
    if has("基本支出") && has("表") {
        return Some(TableType::GeneralBasic);
    }
    if has("支出经济分类汇总") {
        return Some(TableType::EconSummary);
    }
    if has("项目支出") && has("表") {
        return Some(TableType::Project);
    }
    if has("收支总")
        || has("收入支出决算总表")
        || has("收入支出决算汇总")
        || has("收支预算表")
        || has("收支决算总表")
        || has("收支预算总表")
        || has("收入支出预算总表")
        || has("收支总体情况")
        || has("收支决算表")
    {
        return Some(TableType::Summary);
    }
    if has("收入总") || has("收入决算表") || has("收入预算表") || has("收入预算总表")
    {
        return Some(TableType::Income);
    }
    if has("支出总") || has("支出决算表") || has("支出预算表") || has("支出预算总表")
    {
        return Some(TableType::Expenditure);
    }
    None
}

/// What the structure of a grid says, for tables whose title names nothing.
pub struct Evidence<'a> {
    pub header_text: &'a str,
    pub two_sided: bool,
    pub functional_codes: usize,
    pub econ_codes: usize,
}

pub fn classify_structure(e: &Evidence) -> TableType {
    let h = key(e.header_text);
    let has = |s: &str| h.contains(s);
    if has("因公出国") || has("公务接待") && has("公务用车") {
        return TableType::ThreePublic;
    }
    if e.two_sided {
        if has("一般公共预算") && (has("政府性基金") || has("国有资本")) && !has("事业收入")
        {
            return TableType::FiscalSummary;
        }
        return TableType::Summary;
    }
    if e.econ_codes > e.functional_codes {
        if has("人员经费") && has("公用经费") {
            return TableType::GeneralBasic;
        }
        return TableType::EconSummary;
    }
    if has("本年收入") || has("上年结转") || has("财政拨款收入") || has("事业收入")
    {
        return TableType::Income;
    }
    if has("基本支出") && has("项目支出") {
        return TableType::Expenditure;
    }
    if has("项目名称") {
        return TableType::Project;
    }
    TableType::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_garbled_titles() {
        use TableType::*;
        let cases = [
            ("收支总表", Summary),
            ("收入总收入", Income),
            ("支出总支表", Expenditure),
            ("财政拨款收支总表", FiscalSummary),
            ("一般公共预算支出表", GeneralExpenditure),
            ("一般公共预算基本支出表", GeneralBasic),
            ("财政拨款“三公”经费支出决算表", ThreePublic),
            ("收入支出决算总表", Summary),
            ("收入决算表", Income),
            ("支出决算表", Expenditure),
            ("财政拨款收入支出决算总表", FiscalSummary),
            ("一般公共预算财政拨款支出决算表", GeneralExpenditure),
            ("一般公共预算财政拨款基本支出决算明细表", GeneralBasic),
            ("政府性基金预算财政拨款收入支出决算表", GovFund),
            ("国有资本经营预算财政拨款支出决算表", StateCapital),
            ("基本支出总表", BasicSummary),
            ("项目支出总表", Project),
            ("政府预算拨款收支总表", FiscalSummary),
            // Variants listed in the reference's table list (tables.md).
            ("一般公共预算财政拨款收入支出决算表", GeneralExpenditure),
            ("财政拨款支出决算明细表", FiscalExpenditure),
            ("基本支出决算表", GeneralBasic),
            ("基本支出决算明细表", GeneralBasic),
            ("政府性基金决算表", GovFund),
            ("国有资本经营预算支出决算表", StateCapital),
            ("部门预算收支总表", Summary),
            ("部门财务收支预算总表", Summary),
            ("收入支出预算总表", Summary),
            ("预算单位收入预算总表", Income),
            ("预算单位支出预算总表", Expenditure),
            ("财政拨款收入支出预算总表", FiscalSummary),
            ("一般公共预算支出功能分类预算表", GeneralExpenditure),
            ("部门财政拨款支出预算明细表", FiscalExpenditure),
            ("一般公共预算基本支出经济分类预算表", GeneralBasic),
            ("基本支出部门预算经济分类预算表", GeneralBasic),
            ("基本支出预算经济分类表", GeneralBasic),
            ("基本支出预算表", GeneralBasic),
            ("\"三公\"经费和机关运行费预算表", ThreePublic),
            ("一般公共预算项目支出预算表", Project),
            ("项目支出预算表", Project),
            ("部门整体支出绩效目标表", Performance),
            ("政府性基金预算支出功能分类预算表", GovFund),
            ("国有资本经营预算财政拨款支出预算表", StateCapital),
            ("财政拨款收支决算总表", FiscalSummary),
            ("部门收支决算总表", Summary),
            ("收支决算总表", Summary),
            ("部门收入决算表", Income),
            ("部门支出决算表", Expenditure),
            ("一般公共预算支出决算表", GeneralExpenditure),
            ("三公经费表", ThreePublic),
            ("财政拨款支出预算表（功能科目）", FiscalExpenditure),
            ("财政拨款支出预算表", FiscalExpenditure),
            ("财政拨款基本支出预算表（经济科目）", FiscalBasic),
            ("一般公共预算基本支出预算表（经济科目）", GeneralBasic),
            ("一般公共预算机关运行经费支出预算表", OperatingFunds),
            ("“三公”经费、会议费、培训费支出预算表", ThreePublic),
            ("2026年部门“三公”经费和机关运行经费预算表", ThreePublic),
            ("财政拨款“三公”经费支出决算表", ThreePublic),
            ("收支预算总表", Summary),
            ("收入预算总表", Income),
            ("支出预算总表", Expenditure),
            ("2026年部门财务收支预算总表", Summary),
            ("财政拨款政府性基金支出预算表", GovFund),
            ("政府采购支出预算表", Procurement),
            ("一般公共预算支出表（按功能分类）", GeneralExpenditure),
            ("2024年部门收支总体情况表", Summary),
            ("2024年部门收入总体情况表", Income),
            ("2024年部门支出总体情况表", Expenditure),
            ("2024年支出经济分类汇总表", EconSummary),
            ("2025 年部门收支预算表", Summary),
            ("2025 年部门收入预算表", Income),
            ("2025 年部门支出预算表", Expenditure),
            ("2025 年项目支出预算表", Project),
            ("行政（事业）单位机构运转经费预算表", OperatingFunds),
            ("部门整体支出绩效目标申报表", Performance),
            ("政府采购预算表", Procurement),
            ("2025 年政府性基金支出预算表", GovFund),
        ];
        for (t, want) in cases {
            assert_eq!(classify_title(t), Some(want), "{t}");
        }
        assert_eq!(classify_title("单位：万元"), None);
        assert_eq!(classify_title("第一部分 部门概况"), None);
    }
}
