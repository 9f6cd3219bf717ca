#include "server/pool.hpp"

#include <memory>

namespace vanban::server {

Pool::Pool(int workers, std::size_t max_queue) : max_queue_(max_queue) {
    if (workers < 1) workers = 1;
    for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { loop(); });
}

Pool::~Pool() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        queue_.clear();
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
}

void Pool::loop() {
    for (;;) {
        std::function<void()> work;
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            work = std::move(queue_.front());
            queue_.pop_front();
        }
        work();  // never throws: run() wraps it
    }
}

Pool::Result Pool::run(std::function<void()> work, std::chrono::milliseconds limit) {
    struct State {
        std::mutex mu;
        std::condition_variable cv;
        bool done = false;
    };
    auto state = std::make_shared<State>();
    {
        std::lock_guard lock(mu_);
        if (queue_.size() >= max_queue_) return Result::busy;
        queue_.push_back([state, work = std::move(work)] {
            try {
                work();
            } catch (...) {
                // the work reports its own failures; nothing may escape a worker
            }
            std::lock_guard l(state->mu);
            state->done = true;
            state->cv.notify_all();
        });
    }
    cv_.notify_one();
    std::unique_lock l(state->mu);
    return state->cv.wait_for(l, limit, [&] { return state->done; }) ? Result::done : Result::timeout;
}

}  // namespace vanban::server
