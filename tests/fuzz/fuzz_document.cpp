// Fuzzes the whole document pipeline: the input is the document JSON; it is
// gathered from a MemoryWorld that also holds a fixed body, the examples'
// annex files and the shipped fonts, then loaded, laid out and written as
// PDF and XLSX into a private temporary folder, made and removed for each
// input. vanban::Error is a documented outcome, except job::TextOutsideArea:
// anything drawn outside the text area (layout/bounds.hpp) is a finding, as is
// any other exception.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "core/diagnostic.hpp"
#include "job/render.hpp"
#include "sources/bundle.hpp"
#include "sources/world.hpp"

using namespace vanban;
namespace fs = std::filesystem;

namespace {

const char* const kBody =
    "# Mục đích, yêu cầu\n\n"
    "## Mục đích\n\n"
    "Triển khai **đồng bộ** các giải pháp *giảm nghèo* bền vững.\n\n"
    "##. Phấn đấu giảm tỷ lệ hộ nghèo.\n\n"
    "- Các phòng, ban;\n\n"
    "+ Ủy ban nhân dân các xã.\n\n"
    "#### Nội dung hỗ trợ\n";

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Fixture {
    std::string fonts_dir = VANBAN_FONTS_DIR;
    std::string annexes[4][2];
    std::string fonts[4][2];

    Fixture() {
        const fs::path examples = fs::path(VANBAN_FONTS_DIR).parent_path() / "examples";
        const char* names[4][2] = {{"annex.json", "bao-cao-6-thang/annex-ket-qua.json"},
                                   {"annex-ket-qua.json", "bao-cao-6-thang/annex-ket-qua.json"},
                                   {"annex-kinh-phi.json", "bao-cao-6-thang/annex-kinh-phi.json"},
                                   {"annex-bieu-tong-hop.json", "gia-lai/annex-bieu-tong-hop.json"}};
        for (int i = 0; i < 4; ++i) {
            annexes[i][0] = std::string("/fuzz/") + names[i][0];
            annexes[i][1] = slurp(examples / names[i][1]);
        }
        const auto shipped = sources::shipped_fonts(fonts_dir);
        for (int i = 0; i < 4; ++i) {
            fonts[i][0] = shipped[i];
            fonts[i][1] = slurp(shipped[i]);
            if (fonts[i][1].empty()) std::abort();
        }
    }
    static Fixture& instance() {
        static Fixture f;
        return f;
    }
};

/// A private output folder for one input, removed with everything in it when
/// the input is done (however it ended).
struct OutDir {
    std::string path;
    OutDir() {
        char tmpl[] = "/tmp/vanban-fuzz-XXXXXX";
        if (!mkdtemp(tmpl)) std::abort();
        path = tmpl;
    }
    ~OutDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    OutDir(const OutDir&) = delete;
    OutDir& operator=(const OutDir&) = delete;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Fixture& fx = Fixture::instance();
    sources::MemoryWorld world;
    world.add("/fuzz/document.json", std::string(reinterpret_cast<const char*>(data), size));
    world.add("/fuzz/body.md", kBody);
    for (const auto& a : fx.annexes) world.add(a[0], a[1]);
    for (const auto& f : fx.fonts) world.add(f[0], f[1]);
    job::Options opts;
    opts.fonts_dir = fx.fonts_dir;
    OutDir out;
    try {
        sources::Bundle bundle = job::gather(world, "/fuzz/document.json", opts);
        Diagnostics warnings;
        resolve::Document doc = job::load(bundle, opts, warnings);
        job::Laid laid;
        job::render(doc, out.path, "fuzz", &laid, job::Formats{});
        (void)layout::dump(laid.paged);
    } catch (const job::TextOutsideArea& e) {
        std::fprintf(stderr, "drawn outside the text area: %s\n", e.what());
        std::abort();
    } catch (const Error&) {
    }
    return 0;
}
