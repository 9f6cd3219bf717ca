// server/pool: a fixed set of worker threads with a bounded queue, and a
// wait with a time limit. A request whose work is not done in time is
// answered at once; its work finishes on the worker and is thrown away (the
// limits on input — pages, file sizes, template expansion — bound it).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace vanban::server {

class Pool {
public:
    Pool(int workers, std::size_t max_queue);
    ~Pool();
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    enum class Result { done, busy, timeout };
    /// Runs `work` on a worker and waits for it at most `limit`. `busy`: the
    /// queue is full and `work` was not started.
    Result run(std::function<void()> work, std::chrono::milliseconds limit);

    std::size_t workers() const { return threads_.size(); }

private:
    void loop();
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> queue_;
    std::size_t max_queue_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace vanban::server
