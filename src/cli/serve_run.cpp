#include <iostream>

#include "cli/serve.hpp"

namespace vanban::cli {

int serve(ServeArgs args, int, char**) {
    std::string error;
    auto l = server::parse_listen(args.listen, error);
    if (!l) {
        std::cerr << "vanban serve: --listen: " << error << "\n";
        return 2;  // bad usage
    }
    args.options.listen = *l;
    args.options.max_request_bytes = static_cast<std::size_t>(args.max_request_mb) << 20;
    return server::serve(args.options);
}

}  // namespace vanban::cli
