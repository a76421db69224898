// worker_link.h - the page's side of the training worker (web/worker/): starts it, hands it the
// session to train and collects its progress. The frame loop decides what to do with both; this
// file knows nothing of the app.
//
// The worker is started once, at load. Until it is ready, or for good when it cannot start (no
// Worker support, a sandboxed frame without an origin that also refuses blob: workers, a missing
// file, a Content-Security-Policy that blocks it), the page trains in its own frames and reason()
// says why.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace splinescope {

enum class TrainingThread { starting, worker, page };
const char* to_string(TrainingThread t);

// One progress message, as it arrived.
struct WorkerProgress {
  int generation = 0;
  int status = 0; // 0 going on, 1 the next step diverges, 2 at the step limit
  std::string bytes;
};

class WorkerLink {
public:
  // Starts the worker (trainer.js and trainer.wasm, named by the page; see web/shell/page.js).
  void start(double now_ms);
  TrainingThread thread() const { return thread_; }
  const std::string& reason() const { return reason_; }
  // Trains in the page from now on, with this reason (the page's request, or a failure).
  void use_page(const std::string& reason);
  // Falls back to the page when the worker has not answered within kStartTimeoutMs.
  void check_start(double now_ms);

  // Hands a session to the worker (write_handoff() bytes of the session at `revision`, see
  // Session::revision()); returns the run's generation. Progress of earlier runs is dropped from
  // here on.
  // duty: the share of its time the worker trains; pace: steps per second (0: no limit, pace.h).
  int run(const std::string& handoff, std::uint64_t revision, std::int64_t step_limit, double duty,
          double pace);
  // The session revision the current run stands for: the handoff's, then each adopted progress'.
  std::uint64_t revision() const { return revision_; }
  void set_revision(std::uint64_t revision) { revision_ = revision; }
  void stop();
  void set_rate(double duty, double pace);
  bool running() const { return running_; }
  int generation() const { return generation_; }
  // Progress of the current run that arrived since the last call, oldest first.
  std::vector<WorkerProgress> take_progress();
  double worker_memory_bytes() const { return worker_memory_; }

  // From the worker's messages (worker_link.cpp's exported functions).
  void on_ready();
  void on_failed(const std::string& why);
  void on_progress(int generation, int status, std::string bytes, double memory);
  void on_refused(int generation, const std::string& why);

  static constexpr double kStartTimeoutMs = 15000;

private:
  TrainingThread thread_ = TrainingThread::starting;
  std::string reason_ = "the training worker is starting";
  double started_at_ = 0;
  int generation_ = 0;
  std::uint64_t revision_ = 0;
  bool running_ = false;
  double duty_ = 1, pace_ = 0;
  double worker_memory_ = 0;
  std::vector<WorkerProgress> queue_;
};

WorkerLink& worker_link();

} // namespace splinescope
