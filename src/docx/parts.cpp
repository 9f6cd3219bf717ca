// The package around word/document.xml: styles, settings, fonts, the page
// headers, relationships, content types and document properties.
#include <cmath>

#include "docx/docx.hpp"
#include "docx/xml.hpp"
#include "vntext/vntext.hpp"

namespace vanban::docx {

namespace {

const char* const kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const char* const kR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const char* const kPkgRels = "http://schemas.openxmlformats.org/package/2006/relationships";
const char* const kOfficeRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
const char* const kFont = "Times New Roman";
// The shipped, metric-compatible face a machine without Times New Roman uses.
const char* const kFallbackFont = "Liberation Serif";

std::string tw(double pt) { return std::to_string(std::llround(pt * 20.0)); }
std::string hp(double pt) { return std::to_string(std::llround(pt * 2.0)); }

void rfonts(Xml& x) {
    x.leaf("w:rFonts", {{"w:ascii", kFont}, {"w:hAnsi", kFont}, {"w:eastAsia", kFont}, {"w:cs", kFont}});
}

/// Opens <w:style>; the caller adds pPr/rPr and closes it.
void open_style(Xml& x, const char* type, const char* id, const char* name, const char* based_on,
                const char* next = nullptr, bool is_default = false) {
    x.open("w:style").attr("w:type", type);
    if (is_default) x.attr("w:default", "1");
    x.attr("w:styleId", id);
    x.leaf("w:name", {{"w:val", name}});
    if (based_on) x.leaf("w:basedOn", {{"w:val", based_on}});
    if (next) x.leaf("w:next", {{"w:val", next}});
    x.leaf("w:qFormat");
}

std::string styles_xml(const model::LayoutOptions& lo) {
    const double mm = 72.0 / 25.4;
    const std::string line = std::to_string(std::llround(240 * lo.line_spacing));
    Xml x;
    x.open("w:styles").attr("xmlns:w", kW);
    x.open("w:docDefaults");
    x.open("w:rPrDefault").open("w:rPr");
    rfonts(x);
    x.leaf("w:sz", {{"w:val", hp(lo.body_size_pt)}}).leaf("w:szCs", {{"w:val", hp(lo.body_size_pt)}});
    x.leaf("w:lang", {{"w:val", "vi-VN"}, {"w:eastAsia", "en-US"}, {"w:bidi", "ar-SA"}});
    x.close().close();
    x.open("w:pPrDefault").open("w:pPr");
    x.leaf("w:spacing", {{"w:after", "0"}, {"w:line", "240"}, {"w:lineRule", "auto"}});
    x.close().close();
    x.close();

    open_style(x, "paragraph", "Normal", "Normal", nullptr, nullptr, true);
    x.open("w:rPr");
    rfonts(x);
    x.close();
    x.close();

    // Body paragraphs: justified, first line indented, the decree's spacing.
    open_style(x, "paragraph", "BodyText", "Body Text", "Normal");
    x.open("w:pPr");
    x.leaf("w:widowControl");
    x.leaf("w:spacing", {{"w:before", tw(lo.paragraph_spacing_pt)}, {"w:after", "0"}, {"w:line", line}, {"w:lineRule", "auto"}});
    x.leaf("w:ind", {{"w:firstLine", tw(lo.first_indent_mm * mm)}});
    x.leaf("w:jc", {{"w:val", "both"}});
    x.close();
    x.close();

    // Outline titles: I. (bold, upper), 1. and 1.1. (bold), a) (regular); kept with the next paragraph.
    const char* ids[] = {"Heading1", "Heading2", "Heading3", "Heading4"};
    const char* names[] = {"heading 1", "heading 2", "heading 3", "heading 4"};
    for (int i = 0; i < 4; ++i) {
        open_style(x, "paragraph", ids[i], names[i], "BodyText", "BodyText");
        x.open("w:pPr");
        x.leaf("w:keepNext");
        x.leaf("w:outlineLvl", {{"w:val", std::to_string(i)}});
        x.close();
        if (i < 3) x.open("w:rPr").leaf("w:b").leaf("w:bCs").close();
        x.close();
    }
    // "Phần I" and its title: centred, bold.
    open_style(x, "paragraph", "PartHeading", "Part Heading", "BodyText", "BodyText");
    x.open("w:pPr");
    x.leaf("w:keepNext");
    x.leaf("w:ind", {{"w:firstLine", "0"}});
    x.leaf("w:jc", {{"w:val", "center"}});
    x.close();
    x.open("w:rPr").leaf("w:b").leaf("w:bCs").close();
    x.close();

    open_style(x, "paragraph", "Header", "header", "Normal");
    x.open("w:pPr").leaf("w:jc", {{"w:val", "center"}}).close();
    x.open("w:rPr").leaf("w:sz", {{"w:val", hp(lo.page_number_size_pt)}}).leaf("w:szCs", {{"w:val", hp(lo.page_number_size_pt)}}).close();
    x.close();

    x.open("w:style").attr("w:type", "character").attr("w:default", "1").attr("w:styleId", "DefaultParagraphFont");
    x.leaf("w:name", {{"w:val", "Default Paragraph Font"}}).leaf("w:uiPriority", {{"w:val", "1"}}).leaf("w:semiHidden");
    x.close();

    x.open("w:style").attr("w:type", "table").attr("w:default", "1").attr("w:styleId", "TableNormal");
    x.leaf("w:name", {{"w:val", "Normal Table"}}).leaf("w:uiPriority", {{"w:val", "99"}}).leaf("w:semiHidden");
    x.open("w:tblPr");
    x.leaf("w:tblInd", {{"w:w", "0"}, {"w:type", "dxa"}});
    x.open("w:tblCellMar");
    x.leaf("w:top", {{"w:w", "0"}, {"w:type", "dxa"}});
    x.leaf("w:left", {{"w:w", "108"}, {"w:type", "dxa"}});
    x.leaf("w:bottom", {{"w:w", "0"}, {"w:type", "dxa"}});
    x.leaf("w:right", {{"w:w", "108"}, {"w:type", "dxa"}});
    x.close();
    x.close();
    x.close();

    x.close();
    return x.str();
}

std::string settings_xml() {
    Xml x;
    x.open("w:settings").attr("xmlns:w", kW);
    x.leaf("w:zoom", {{"w:percent", "100"}});
    x.leaf("w:defaultTabStop", {{"w:val", "720"}});
    x.leaf("w:characterSpacingControl", {{"w:val", "doNotCompress"}});
    x.open("w:compat");
    x.leaf("w:compatSetting", {{"w:name", "compatibilityMode"}, {"w:uri", "http://schemas.microsoft.com/office/word"}, {"w:val", "15"}});
    x.close();
    x.leaf("w:themeFontLang", {{"w:val", "vi-VN"}});
    x.leaf("w:decimalSymbol", {{"w:val", ","}});
    x.leaf("w:listSeparator", {{"w:val", ";"}});
    x.close();
    return x.str();
}

std::string font_table_xml() {
    Xml x;
    x.open("w:fonts").attr("xmlns:w", kW);
    x.open("w:font").attr("w:name", kFont);
    x.leaf("w:altName", {{"w:val", kFallbackFont}});
    x.leaf("w:panose1", {{"w:val", "02020603050405020304"}});
    x.leaf("w:charset", {{"w:val", "00"}});
    x.leaf("w:family", {{"w:val", "roman"}});
    x.leaf("w:pitch", {{"w:val", "variable"}});
    x.close();
    x.close();
    return x.str();
}

/// The page header: the page number (a PAGE field) centred, or nothing (first pages).
std::string header_xml(bool page_number) {
    Xml x;
    x.open("w:hdr").attr("xmlns:w", kW).attr("xmlns:r", kR);
    x.open("w:p").open("w:pPr").leaf("w:pStyle", {{"w:val", "Header"}}).close();
    if (page_number) {
        x.open("w:r").leaf("w:fldChar", {{"w:fldCharType", "begin"}}).close();
        x.open("w:r").open("w:instrText").attr("xml:space", "preserve").text(" PAGE ").close().close();
        x.open("w:r").leaf("w:fldChar", {{"w:fldCharType", "separate"}}).close();
        x.open("w:r").open("w:t").text("2").close().close();
        x.open("w:r").leaf("w:fldChar", {{"w:fldCharType", "end"}}).close();
    }
    x.close();
    x.close();
    return x.str();
}

std::string content_types_xml(const model::Document& d, bool pictures) {
    Xml x;
    x.open("Types").attr("xmlns", "http://schemas.openxmlformats.org/package/2006/content-types");
    x.leaf("Default", {{"Extension", "rels"}, {"ContentType", "application/vnd.openxmlformats-package.relationships+xml"}});
    x.leaf("Default", {{"Extension", "xml"}, {"ContentType", "application/xml"}});
    if (pictures) x.leaf("Default", {{"Extension", "png"}, {"ContentType", "image/png"}});
    const std::string wml = "application/vnd.openxmlformats-officedocument.wordprocessingml.";
    auto over = [&](const char* part, const std::string& type) { x.leaf("Override", {{"PartName", part}, {"ContentType", type}}); };
    over("/word/document.xml", wml + "document.main+xml");
    over("/word/styles.xml", wml + "styles+xml");
    over("/word/settings.xml", wml + "settings+xml");
    over("/word/fontTable.xml", wml + "fontTable+xml");
    over("/word/header1.xml", wml + "header+xml");
    over("/word/header2.xml", wml + "header+xml");
    if (has_page_one_header(d)) over("/word/header3.xml", wml + "header+xml");
    if (!d.marks.footer.empty()) {
        over("/word/footer1.xml", wml + "footer+xml");
        over("/word/footer2.xml", wml + "footer+xml");
    }
    over("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml");
    over("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml");
    x.close();
    return x.str();
}

std::string package_rels_xml() {
    Xml x;
    x.open("Relationships").attr("xmlns", kPkgRels);
    x.leaf("Relationship", {{"Id", "rId1"}, {"Type", std::string(kOfficeRel) + "officeDocument"}, {"Target", "word/document.xml"}});
    x.leaf("Relationship", {{"Id", "rId2"},
                            {"Type", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"},
                            {"Target", "docProps/core.xml"}});
    x.leaf("Relationship", {{"Id", "rId3"}, {"Type", std::string(kOfficeRel) + "extended-properties"}, {"Target", "docProps/app.xml"}});
    x.close();
    return x.str();
}

std::string document_rels_xml(const model::Document& d, const std::vector<Media>& pictures) {
    Xml x;
    x.open("Relationships").attr("xmlns", kPkgRels);
    auto rel = [&](const char* id, const char* type, const char* target) {
        x.leaf("Relationship", {{"Id", id}, {"Type", std::string(kOfficeRel) + type}, {"Target", target}});
    };
    rel("rIdStyles", "styles", "styles.xml");
    rel("rIdSettings", "settings", "settings.xml");
    rel("rIdFonts", "fontTable", "fontTable.xml");
    rel("rIdHeader", "header", "header1.xml");
    rel("rIdHeaderFirst", "header", "header2.xml");
    if (has_page_one_header(d)) rel("rIdHeaderMain", "header", "header3.xml");
    if (!d.marks.footer.empty()) {
        rel("rIdFooterMain", "footer", "footer1.xml");
        rel("rIdFooterBlank", "footer", "footer2.xml");
    }
    for (const Media& m : pictures) rel(m.rel_id.c_str(), "image", m.part.c_str() + 5);  // relative to word/
    x.close();
    return x.str();
}

std::string core_xml(const resolve::Document& doc) {
    const std::string date = doc.meta.iso_date() + "T00:00:00Z";
    Xml x;
    x.open("cp:coreProperties")
        .attr("xmlns:cp", "http://schemas.openxmlformats.org/package/2006/metadata/core-properties")
        .attr("xmlns:dc", "http://purl.org/dc/elements/1.1/")
        .attr("xmlns:dcterms", "http://purl.org/dc/terms/")
        .attr("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
    x.open("dc:title").text(doc.meta.title).close();
    x.open("dc:subject").text(doc.meta.subject).close();
    x.open("dc:creator").text(doc.meta.author).close();
    x.open("cp:keywords").text(doc.meta.keywords).close();
    x.open("dc:language").text("vi-VN").close();
    x.open("dcterms:created").attr("xsi:type", "dcterms:W3CDTF").text(date).close();
    x.open("dcterms:modified").attr("xsi:type", "dcterms:W3CDTF").text(date).close();
    x.close();
    return x.str();
}

std::string app_xml() {
    Xml x;
    x.open("Properties").attr("xmlns", "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties");
    x.open("Application").text(std::string("vanban ") + VANBAN_VERSION).close();
    x.close();
    return x.str();
}

}  // namespace

std::vector<Media> media(const resolve::Document& doc) {
    std::vector<Media> out;
    const model::Signature& sig = doc.model.signature;
    const model::Signature none;
    const model::Signature& copy = doc.model.copy ? doc.model.copy->signature : none;  // a paper copy's signer
    for (const auto* p : {&sig.image, &sig.seal, &copy.image, &copy.seal}) {
        if (!*p || !(*p)->png) continue;
        bool seen = false;
        for (const Media& m : out) seen = seen || *m.png == *(*p)->png;
        if (seen) continue;
        const std::string n = std::to_string(out.size() + 1);
        out.push_back({"word/media/image" + n + ".png", "rIdImage" + n, (*p)->png});
    }
    return out;
}

std::vector<Part> build_parts(const resolve::Document& doc, const Facts& facts) {
    const std::vector<Media> pictures = media(doc);
    std::vector<Part> parts = {
        {"[Content_Types].xml", content_types_xml(doc.model, !pictures.empty())},
        {"_rels/.rels", package_rels_xml()},
        {"word/document.xml", document_xml(doc, facts)},
        {"word/_rels/document.xml.rels", document_rels_xml(doc.model, pictures)},
        {"word/styles.xml", styles_xml(doc.model.layout)},
        {"word/settings.xml", settings_xml()},
        {"word/fontTable.xml", font_table_xml()},
        {"word/header1.xml", header_xml(true)},
        {"word/header2.xml", header_xml(false)},
    };
    if (has_page_one_header(doc.model)) parts.push_back({"word/header3.xml", page_one_header_xml(doc, facts)});
    if (!doc.model.marks.footer.empty()) {
        parts.push_back({"word/footer1.xml", page_one_footer_xml(doc.model)});
        parts.push_back({"word/footer2.xml", blank_footer_xml()});
    }
    parts.push_back({"docProps/core.xml", core_xml(doc)});
    parts.push_back({"docProps/app.xml", app_xml()});
    for (const Media& m : pictures) parts.push_back({m.part, *m.png});
    return parts;
}

void write_docx(const std::string& path, const resolve::Document& doc, const Facts& facts) {
    ZipDate date{doc.meta.year, doc.meta.month, doc.meta.day};
    write_package(path, build_parts(doc, facts), date);
}

}  // namespace vanban::docx
