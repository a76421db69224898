// lessons.h - the lessons gallery: presets that reproduce the figures and claims of the geometric
// view of deep learning. Each lesson is a URL state (url_state.h), so a link `#lesson=<id>` opens
// it, and an instructor makes their own by sharing any state.
#pragma once

#include <string>
#include <vector>

namespace splinescope {

// A lesson's claim as a statement about its own run, measured live beside the caption
// (lesson_claims.h). threshold: the kind's number (a loss to reach, say).
enum class ClaimKind {
  none, arrangement_bound, depth_refines, polyline_fit, complexity_migration,
  // Compare mode (pane A against pane B):
  compare_data_density,  // B's local complexity near the training points >= threshold x A's
  compare_migration,     // complexity_migration holds in B and not in A
  compare_depth_economy, // B has fewer parameters and tiles than A, both reach test accuracy threshold
  compare_more_tiles,    // B has >= threshold x A's tiles
  batch_jitter,          // batch statistics move >= threshold of the view's codes between batches
  affine_tiles,          // f equals its tile's affine piece at points of every tile (forward passes)
  boundary_segments,     // each boundary segment lies in one tile, with f = 0 along it
  edge_crossings,        // crossing an edge changes the code in that edge's neuron only
  bent_neurons,          // first-layer zero sets straight, the highlighted deeper one bent
  no_flat_tiles,         // every tile has a slope (leaky ReLU)
  plane_images,          // image data: each of the plane's three images is predicted as its class
};
struct Claim {
  ClaimKind kind = ClaimKind::none;
  double threshold = 0;
};

struct Lesson {
  const char* id;      // the value of the `lesson` URL key
  const char* title;
  const char* caption; // what to look at, in two or three sentences
  const char* query;   // the lesson's URL keys
  Claim claim = {};    // what its run shows, measured (none: not measured yet)
};

const std::vector<Lesson>& lessons();
// The lesson with this id, or nullptr.
const Lesson* find_lesson(const std::string& id);

} // namespace splinescope
