// model: the typed document, data only. Built by input/, read by layout/ and
// the exporters. All strings are NFC UTF-8, exactly as the user wrote them
// (case conversion and numbering are applied later, by layout/).
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/table.hpp"

namespace vanban::model {

/// A run of inline text with one style.
struct Span {
    std::string text;
    bool bold = false;
    bool italic = false;
};
using Inlines = std::vector<Span>;

/// Outline levels of a plan/report body (Nghị định 30/2020/NĐ-CP, Phụ lục I, box 6).
enum class BlockKind {
    part,       ///< "Phần I" + title (centred)
    section,    ///< "I." + TITLE (bold, upper)
    clause,     ///< "1." (+ title, bold)
    subclause,  ///< "1.1." (+ title, bold)
    point,      ///< "a)" (+ title, bold)
    paragraph,  ///< plain justified paragraph, first-line indent
    bullet,     ///< "- " paragraph
    subbullet,  ///< "+ " paragraph
    // Structured texts (decisions, resolutions, the regulations they issue):
    chapter,      ///< "Chương I" + TITLE (centred, bold)
    division,     ///< "Mục 1" + TITLE (centred, bold)
    subdivision,  ///< "Tiểu mục 1" + TITLE (centred, bold)
    article,      ///< "Điều 1." + title (all bold) or + the article's text (upright)
    centred,      ///< a line centred on the text width (Giấy giới thiệu: "… trân trọng giới thiệu:")
};

struct Block {
    BlockKind kind = BlockKind::paragraph;
    /// Number computed by the outline numberer: "I.", "1.", "1.2.", "đ)", "Phần II",
    /// "Chương I", "Mục 2", "Tiểu mục 1", "Điều 3.";
    /// "-" / "+" for bullets; empty for paragraphs.
    std::string label;
    /// For headings: whether the text is a title (bold, kept with the next block)
    /// or a numbered paragraph (regular, justified).
    bool titled = false;
    Inlines text;
    int line = 0;  ///< 1-based line in the body source, for messages
};

struct DocType {
    std::string code;  ///< "KH", "BC", "QĐ", ... ; empty for Công văn
    std::string name;  ///< "Kế hoạch" (as in templates/doc-types.json)
    bool is_cong_van = false;
};

/// A calendar date; month/day absent on a draft ("ngày    tháng    năm 2024").
struct Date {
    int year = 0;
    std::optional<int> month;
    std::optional<int> day;
};

/// A picture drawn on the page (signature or seal image): the PNG file as
/// read and checked by input/, its size in pixels, and the size it is printed at.
struct Picture {
    std::string file;                        ///< path as read, for messages and dumps
    std::shared_ptr<const std::string> png;  ///< the file's bytes
    int width_px = 0, height_px = 0;
    double width_mm = 0, height_mm = 0;      ///< printed size
};

struct Signature {
    std::vector<std::string> authority;  ///< "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"
    std::string position;                ///< "PHÓ CHỦ TỊCH"
    std::string name;                    ///< "Tăng Quốc Lập"
    /// The signer's signature image (blue, transparent background), drawn
    /// between the position and the name [7c].
    std::optional<Picture> image;
    /// The organisation's seal image (red, at the seal's real size), drawn over
    /// the left third of the signature image [8].
    std::optional<Picture> seal;
};

/// A Giấy mời's structured lines (PLIII M1.7).
struct Invitation {
    std::string invitee;  ///< "Ông Nguyễn Văn A, Trưởng phòng …" or an organisation
    std::string event;    ///< what the meeting is: "Hội nghị sơ kết …"
    std::string chair;    ///< "Đồng chí … - Phó Chủ tịch UBND tỉnh"; may be empty
    std::string time;     ///< "08 giờ 00, thứ Năm, ngày 15 tháng 02 năm 2024"
    std::string place;    ///< "Hội trường …"
    std::string notes;    ///< what the invitees should bring or know; may be empty
};

/// A Giấy giới thiệu's lines (PLIII M1.8).
struct Introduction {
    std::string person;       ///< "Ông Nguyễn Văn A"
    std::string position;     ///< "Chuyên viên Phòng …"
    std::string to;           ///< "Sở Tài chính tỉnh Gia Lai"
    std::string purpose;      ///< "Liên hệ công tác …"
    std::string valid_until;  ///< "ngày 30 tháng 4 năm 2024"
};

/// One issuer of a joint document (văn bản liên tịch), in the order given
/// (the lead issuer first).
struct JointIssuer {
    std::vector<std::string> lines;  ///< name, one entry per printed line
    std::string code;                ///< "SNV"
    std::string full_name;           ///< "Sở Nội vụ tỉnh Gia Lai"
};

/// The marks and boxes of Phụ lục I outside the text: secrecy [10a], urgency
/// [10b], circulation and recall [11], the DỰ THẢO mark (not regulated), the
/// drafter code and copies [12] and the address footer [13].
struct Marks {
    std::string secrecy;      ///< "MẬT", "TỐI MẬT", "TUYỆT MẬT"; empty: none
    std::string urgency;      ///< "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC"; empty: none
    std::string circulation;  ///< "XEM XONG TRẢ LẠI", "LƯU HÀNH NỘI BỘ", …; empty: none
    bool recall = false;      ///< the recall stamp "TÀI LIỆU THU HỒI" in box 11
    std::string draft;        ///< "DỰ THẢO", "DỰ THẢO LẦN 2"; empty: not a draft mark
    std::string drafter;      ///< drafter's initials "PL" (box 12); empty: none
    int copies = 0;           ///< copies issued (box 12); 0: none
    std::vector<std::string> footer;  ///< address footer lines (box 13); empty: none
};

/// Page and type settings; defaults inside the decree's ranges.
struct LayoutOptions {
    double margin_top_mm = 20, margin_bottom_mm = 20, margin_left_mm = 30, margin_right_mm = 15;
    double body_size_pt = 14;        ///< 13–14
    double header_size_pt = 13;      ///< 12–13 (organisation names, national title)
    double first_indent_mm = 10;     ///< 10 or 12.7
    double paragraph_spacing_pt = 6; ///< ≥ 6
    double line_spacing = 1.0;       ///< 1.0 (single) … 1.5 lines
    double page_number_size_pt = 13; ///< 13–14
};

/// The four faces used: paths to .ttf files (glyf outlines) and their
/// contents as read (regular, bold, italic, bold italic; nullptr when a file
/// could not be read).
struct FontFiles {
    std::string regular, bold, italic, bold_italic;
    std::array<std::shared_ptr<const std::string>, 4> bytes;
};

/// A text issued by a decision (Quy chế, Quy định, …), printed after it with
/// its own title block: no number or date line, the "(Kèm theo Quyết định số
/// …)" note under the summary, no Nơi nhận and no signature.
struct AttachedText {
    DocType type;              ///< "Quy chế"
    std::string summary;       ///< "Quản lý văn bản điện tử …"
    std::vector<Block> body;
    std::string body_file;     ///< where its text came from
};

/// A copy (bản sao, NĐ Đ25; PLI-2) made of the document: sao y (SY), sao
/// lục (SL) or trích sao (TrS, the document re-created with the extracted
/// part only). On paper, the copy block follows the document on a new page;
/// electronically, one line at the top right of page 1 carries the copy form,
/// the copying organisation and the signing time.
struct Copy {
    std::string code;                       ///< "SY", "SL", "TrS"
    std::string form;                       ///< "SAO Y", "SAO LỤC", "TRÍCH SAO"
    std::vector<std::string> issuer_lines;  ///< the copying organisation, one entry per printed line
    std::string issuer_code;                ///< "VP"
    std::string issuer_name;                ///< as in running text: "Văn phòng UBND tỉnh Gia Lai"
    int number = 0;                         ///< in the organisation's one copy series (SY, SL and TrS together)
    Date date;
    std::string place;
    std::string time;                       ///< "10:22:33": the organisation's signing time (electronic)
    bool electronic = false;
    std::vector<std::string> recipients;    ///< without punctuation
    std::string archive = "VT";
    Signature signature;                    ///< who signs the copy, and the seal of the copying organisation
};

struct Document {
    std::string source_file;  ///< the JSON file, for messages
    std::string body_file;    ///< where the body text came from (file path, or "<json>#/body/text")

    DocType type;
    std::vector<std::string> parent_lines; ///< parent organisation, one entry per printed line; empty when none
    std::vector<std::string> issuer_lines; ///< issuing organisation, one entry per printed line
    std::string issuer_code;               ///< "UBND"
    std::string issuer_full_name;          ///< "Ủy ban nhân dân thành phố Long Khánh" (annex caption)
    std::optional<int> number;             ///< absent on a draft
    std::string symbol;                    ///< "KH-UBND" (derived unless given)
    Date date;
    std::string place;
    std::string summary;                   ///< trích yếu (for Công văn: the "V/v" text)
    std::vector<std::string> kinh_gui;     ///< addressees; empty when none

    /// Decisions and resolutions (Quyết định, Nghị quyết): the holder of the
    /// power ("Chủ tịch Ủy ban nhân dân tỉnh Gia Lai", printed UPPER), the legal
    /// bases ("Căn cứ …") and the proposal line ("Theo đề nghị của …"), each
    /// without its final punctuation (the generator adds ";" and the last ".").
    std::string authority;
    std::vector<std::string> bases;
    std::string proposal;
    /// The article whose addressees carry the decision out ("- Như Điều 3;"
    /// in Nơi nhận): 0 = the last article, -1 = none.
    int as_article = 0;

    std::vector<Block> body;
    std::vector<AttachedText> attached;  ///< texts the decision issues, in order

    /// A Giấy mời's time, place and chair, printed as the first lines of the body.
    std::optional<Invitation> invitation;
    /// A Giấy giới thiệu's lines (it has no summary).
    std::optional<Introduction> introduction;
    /// Biên bản: the secretary, who signs on the left (the chair signs on the right: `signature`).
    std::optional<Signature> secretary;

    std::vector<std::string> recipients;   ///< without punctuation
    std::string archive;                   ///< "VT, TH (VX)" -> "- Lưu: VT, TH (VX)."
    Signature signature;
    /// A joint document (văn bản liên tịch, not regulated by Nghị định
    /// 30/2020): its issuers, the lead first (issuer_lines etc. hold the
    /// lead's), and one signature per issuer in the same order (`signature`
    /// holds the lead's). Empty for a document with one issuer.
    std::vector<JointIssuer> joint_issuers;
    std::vector<Signature> joint_signatures;

    Marks marks;

    std::vector<Annex> annexes;

    /// The copy made of this document, when it is rendered as a copy.
    std::optional<Copy> copy;

    /// An electronic document (NĐ Đ5): the signer's and the organisation's
    /// digital signatures are shown as the signature and seal images, and the
    /// PDF gets an empty signature field over each for a signing tool to fill.
    bool electronic = false;

    LayoutOptions layout;
    FontFiles fonts;
};

}  // namespace vanban::model
