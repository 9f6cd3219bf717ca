// vntext/words: the two-syllable words a centred title should not be broken
// inside, and the words a line is best broken before (see vntext.hpp).
#include <string>
#include <unordered_set>

#include "vntext/vntext.hpp"

namespace vanban::vntext {

namespace {

// Lower case, NFC, one space between the syllables.
const char* const kWords[] = {
    "an ninh", "an toàn", "ban hành", "báo cáo", "bảo đảm", "bảo hiểm", "bảo vệ", "bảo tồn", "bền vững",
    "biên bản", "biên chế", "bình đẳng", "bồi dưỡng", "bổ sung", "bộ máy", "bộ phận", "cải cách", "cải thiện",
    "cán bộ", "căn cứ", "cấp bách", "cấp phát", "chăm sóc", "chỉ đạo", "chỉ thị", "chỉ tiêu", "chính quyền",
    "chính sách", "chính trị", "chuyên môn", "chuyển đổi", "chức năng", "chức vụ", "chương trình", "chủ trì",
    "chủ tịch", "chuẩn bị", "công an", "công bố", "công chức", "công dân", "công điện", "công khai", "công nghệ",
    "công nghiệp", "công tác", "công trình", "công văn", "cơ quan", "cơ sở", "cơ chế", "cộng đồng", "cung cấp",
    "cử tri", "dân cư", "dân tộc", "dịch vụ", "di tích", "doanh nghiệp", "du lịch", "dự án", "dự toán", "dự thảo",
    "đánh giá", "đào tạo", "đầu tư", "đất đai", "đề án", "đề nghị", "đề xuất", "điều chỉnh", "điều hành",
    "điều kiện", "điều lệ", "điều tra", "địa bàn", "địa phương", "định hướng", "định kỳ", "đoàn thể", "đô thị",
    "đôn đốc", "đối tượng", "đơn vị", "đời sống", "giai đoạn", "giảm nghèo", "giao thông", "giáo dục", "giải pháp",
    "giải quyết", "giải ngân", "giải thể", "tỷ lệ", "tổng số", "số lượng", "thu nhập", "chi phí", "dự kiến", "giám đốc", "giám sát", "giấy mời", "hạ tầng", "hành chính", "hiện đại", "hiệu quả",
    "hiệu lực", "hoàn thành", "hoàn thiện", "hoạt động", "học sinh", "hỗ trợ", "hộ nghèo", "hội đồng", "hội nghị",
    "hội thảo", "hợp đồng", "hợp tác", "hướng dẫn", "kế hoạch", "kế toán", "khắc phục", "khen thưởng", "khoa học",
    "khó khăn", "không gian", "kiểm soát", "kiểm tra", "kinh doanh", "kinh phí", "kinh tế", "kỷ luật", "kỹ thuật",
    "kỳ họp", "kết quả", "lao động", "lĩnh vực", "liên quan", "liên tịch", "lưu trữ", "mặt trận", "môi trường",
    "mục tiêu", "mục đích", "năng lực", "ngân sách", "nghị định", "nghị quyết", "nghiên cứu", "nghĩa vụ",
    "nguồn lực", "nguồn vốn", "người dân", "nhà nước", "nhân dân", "nhân lực", "nhân sự", "nhân viên", "nhiệm kỳ",
    "nhiệm vụ", "nội dung", "nội vụ", "nông nghiệp", "nông thôn", "nâng cao", "phạm vi", "phát động", "phát triển",
    "phân bổ", "phân cấp", "phân công", "phê duyệt", "phòng chống", "phòng ngừa", "phối hợp", "phổ biến",
    "phục vụ", "phương án", "phương thức", "phường xã", "quản lý", "quy chế", "quy định", "quy hoạch", "quy mô",
    "quy trình", "quyết định", "quyết nghị", "quốc gia", "quốc phòng", "rà soát", "sản xuất", "sáp nhập",
    "sắp xếp", "sửa đổi", "số hóa", "sơ kết", "tài chính", "tài liệu", "tài nguyên", "tài sản", "tập huấn",
    "tập thể", "tham gia", "tham mưu", "thành lập", "thành phần", "thành phố", "thành viên", "thẩm định",
    "thẩm quyền", "thi đua", "thị trấn", "thị xã", "thiết bị", "thông báo", "thông tin", "thông tư", "thống kê",
    "thời gian", "thời hạn", "thủ tục", "thủ tướng", "thực hiện", "thực trạng", "thường trực", "thương binh",
    "tiến độ", "tiếp nhận", "tiêu chí", "tiêu chuẩn", "tình hình", "tỉnh ủy", "tổ chức", "tổng hợp", "tổng kết",
    "tờ trình", "trách nhiệm", "trang bị", "triển khai", "trích yếu", "trụ sở", "trường học", "truyền thông",
    "tuyên truyền", "tuyển dụng", "ủy ban", "ủy quyền", "ưu tiên", "văn bản", "văn hóa", "văn phòng", "văn thư",
    "vận động", "vận hành", "viên chức", "việc làm", "vốn vay", "xã hội", "xây dựng", "xử lý", "y tế",
    "văn hoá", "số hoá", "tập trung", "điện tử", "chữ ký", "con dấu", "lâm nghiệp", "thủy sản", "nước sạch",
    "vệ sinh", "dịch bệnh", "thiên tai", "bão lũ", "hạn hán", "cứu trợ", "khẩn cấp", "kỷ niệm", "lễ hội",
    "đại hội", "bầu cử", "đại biểu", "kiểm điểm", "thanh tra", "khiếu nại", "tố cáo", "tiếp dân", "hòa giải", "hoà giải",
};

const char* const kOpeners[] = {"của", "và", "về", "trên", "tại", "cho", "theo", "đến", "với", "trong", "năm",
                                "giai", "nhằm", "để", "thuộc", "từ", "đối", "giữa", "sau", "trước"};

std::string key_of(std::string_view s) {
    std::string k = lower(s);
    while (!k.empty() && std::string_view(",.;:)(\"").find(k.back()) != std::string_view::npos) k.pop_back();
    while (!k.empty() && std::string_view("(\"").find(k.front()) != std::string_view::npos) k.erase(0, 1);
    return k;
}

}  // namespace

bool joins_word(std::string_view a, std::string_view b) {
    static const std::unordered_set<std::string> words = [] {
        std::unordered_set<std::string> s;
        for (const char* w : kWords) s.insert(w);
        return s;
    }();
    // A word ending in punctuation ends a phrase: never joined to the next.
    if (!a.empty() && std::string_view(",.;:)").find(a.back()) != std::string_view::npos) return false;
    return words.count(key_of(a) + " " + key_of(b)) > 0;
}

bool opens_phrase(std::string_view word) {
    static const std::unordered_set<std::string> openers(std::begin(kOpeners), std::end(kOpeners));
    return openers.count(key_of(word)) > 0;
}

}  // namespace vanban::vntext
