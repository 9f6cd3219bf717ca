#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <vector>

#include "cli/serve.hpp"
#include "core/diagnostic.hpp"
#include "core/i18n.hpp"

namespace vanban::cli {

int serve(ServeArgs, int argc, char** argv) {
    namespace fs = std::filesystem;
    // The folder of this program's file (not of argv[0], which may be a bare
    // name found on PATH or a symbolic link).
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) self = fs::absolute(argv[0], ec);
    const std::string server = (self.parent_path() / "vanban-serve").string();
    std::vector<char*> args(argv, argv + argc);
    args[0] = const_cast<char*>(server.c_str());
    args.push_back(nullptr);
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    ::execv(server.c_str(), args.data());
    throw IoError(server, tr("server-missing", "cannot start the web server program ({}): install vanban-serve in the same folder "
                                               "as vanban (cmake --build puts both in build/)",
                             std::strerror(errno)));
}

}  // namespace vanban::cli
