// image_loader.cpp - fetching and providing the image asset (see image_loader.h).
#include "image_loader.h"

#include "image_data.h"

#include <emscripten.h>
#include <imgui.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <utility>

namespace splinescope {

namespace {
ImageLoad load;
std::function<void()> waiting;
std::function<void()> arrived; // waiting's, once the images are in: run in the next frame
} // namespace

// -----------------------------------------------------------------------------------------------
// [SECTION] JavaScript
// -----------------------------------------------------------------------------------------------

// Fetches Module.imageAssets[name] (its content-hashed name, from index.html's data-images) with
// page.js's fetch_with_progress, reporting bytes as they arrive; the whole asset is then copied
// into the engine's memory for ss_images_loaded.
EM_JS(void, js_fetch_images, (const char* name_ptr), {
  var name = UTF8ToString(name_ptr);
  var file = (Module.imageAssets || {})[name];
  var fail = function (why) { ccall('ss_images_failed', null, ['string'], [String(why)]); };
  if (!file) { fail('this page names no ' + name + ' images'); return; }
  Module.fetchWithProgress(file, function (received, total) {
    _ss_images_progress(received, total);
  }).then(function (buffer) {
    var data = new Uint8Array(buffer);
    var ptr = _malloc(Math.max(1, data.length));
    HEAPU8.set(data, ptr);
    ccall('ss_images_loaded', null, ['string', 'number', 'number'], [name, ptr, data.length]);
    _free(ptr);
  }).catch(function (e) { fail(e && e.message ? e.message : e); });
});

extern "C" {
EMSCRIPTEN_KEEPALIVE void ss_images_progress(double received, double total) {
  load.received = received;
  load.total = total;
}

EMSCRIPTEN_KEEPALIVE void ss_images_loaded(const char* name, const std::uint8_t* data, int size) {
  auto images = std::make_shared<ImageAssetResult>(read_image_asset(data, static_cast<std::size_t>(size)));
  load.loading = false;
  load.finished_ms = emscripten_get_now();
  if (!images->ok) {
    load.error = "the " + std::string(name) + " images could not be read: " + images->error;
    waiting = nullptr;
    return;
  }
  load.received = load.total = size;
  provide_images(name, std::move(images));
  // The settings follow in a frame of their own: reading the images and starting a session on
  // them are two tasks, not one long one.
  arrived = std::move(waiting);
  waiting = nullptr;
}

EMSCRIPTEN_KEEPALIVE void ss_images_failed(const char* why) {
  load.loading = false;
  load.finished_ms = emscripten_get_now();
  load.error = "the " + load.dataset + " images could not be loaded: " + why;
  waiting = nullptr;
}
} // extern "C"

// -----------------------------------------------------------------------------------------------
// [SECTION] Requests
// -----------------------------------------------------------------------------------------------

const ImageLoad& image_load() { return load; }

void cancel_image_request() { waiting = arrived = nullptr; }

bool run_arrived_images() {
  if (!arrived) return false;
  std::function<void()> then = std::move(arrived);
  arrived = nullptr;
  then();
  return true;
}

void request_images(const std::string& dataset, std::function<void()> then) {
  if (provided_images(dataset)) {
    waiting = arrived = nullptr;
    if (then) then();
    return;
  }
  arrived = nullptr;
  waiting = std::move(then);
  if (load.loading && load.dataset == dataset) return;
  load = ImageLoad{};
  load.dataset = dataset;
  load.loading = true;
  load.started_ms = emscripten_get_now();
  js_fetch_images(dataset.c_str());
}

void draw_image_load(float x, float y, float width, float height) {
  if (!load.loading && load.error.empty()) return;
  const float w = std::min(width - 24.0f, 26.0f * ImGui::GetFontSize());
  ImGui::SetNextWindowPos(ImVec2(x + 0.5f * width, y + 0.5f * height), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(w, 0));
  ImGui::Begin("##image load", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav);
  if (load.loading) {
    char text[128];
    if (load.total > 0)
      std::snprintf(text, sizeof text, "%.1f / %.1f MB", load.received / 1e6, load.total / 1e6);
    else
      std::snprintf(text, sizeof text, "%.1f MB", load.received / 1e6);
    ImGui::TextWrapped("Loading the %s images…", load.dataset == "fashion-mnist" ? "Fashion-MNIST" : load.dataset.c_str());
    ImGui::ProgressBar(load.total > 0 ? static_cast<float>(load.received / load.total) : 0.0f, ImVec2(-1, 0), text);
  } else {
    ImGui::TextWrapped("%s", load.error.c_str());
    if (ImGui::Button("Dismiss")) load.error.clear();
  }
  ImGui::End();
}

} // namespace splinescope
