// image_loader.h - the page's image data (engine/image_data.h): its asset is fetched only when a
// setting asks for image data, with a progress bar, and provided to the engine once read. The
// settings that asked wait for it and are applied when it has arrived.
#pragma once

#include <functional>
#include <string>

namespace splinescope {

struct ImageLoad {
  std::string dataset;   // the dataset being loaded or last loaded ("fashion-mnist"); "" none
  bool loading = false;
  double received = 0;   // bytes so far, and in all (0: not known)
  double total = 0;
  double started_ms = 0, finished_ms = 0;
  std::string error;     // why the last load failed ("" when it did not)
};

const ImageLoad& image_load();

// Loads the named image dataset's asset unless it has been provided already, then calls `then`
// (at once when it is there). Only the latest request's `then` runs: a newer setting replaces
// what an older one waited for. A failure is shown with its reason and drops `then`.
void request_images(const std::string& dataset, std::function<void()> then);

// Drops the request waiting for images (a newer setting came first); the load goes on.
void cancel_image_request();

// Runs the request that waited for images which arrived since the last frame (call once a frame);
// true when it ran one.
bool run_arrived_images();

// The progress bar while loading, or the reason of a failure, centred in the given rectangle
// (CSS pixels); draws nothing otherwise. Call inside the ImGui frame.
void draw_image_load(float x, float y, float width, float height);

} // namespace splinescope
