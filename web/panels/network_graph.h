// network_graph.h - the network as a graph (the paper's Fig. 1), a panel of its own.
//
// One column of nodes per layer (inputs, hidden layers, outputs; a wide layer folds into several
// sub-columns), links between consecutive layers coloured by the weight's sign (orange +, blue -)
// and as wide and opaque as its size relative to the layer's largest. Between two layers of many
// neurons only the strongest links are drawn, and the panel says how many. Every node shows what
// it computes over the view (views/neuron_pictures.h): a hidden neuron's sign regions with its
// exact zero set, a straight line in layer 1 and a bent one deeper; an output's decision
// regions. Nodes light up where their neuron is active at the cursor (or at the Inspector's pinned
// point): the activation code of that point, read as the graph.
//
// Hovering a node draws its zero set on the canvas (the pane's preview neuron) and shows its bias
// and weights; a click selects it (the pane's highlighted neuron, the address's `neuron`). Hovering
// a link shows its weight; a click keeps that text under the graph.
#pragma once

#include "line_raster.h"
#include "neuron_pictures.h"
#include "pane.h"

#include <Eigen/Dense>
#include <imgui.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace splinescope {

struct GraphNode {
  int layer = 0;                // 0: inputs; 1..L: hidden layers; L + 1: outputs
  int unit = 0;
  std::array<float, 4> rect{};  // x, y, width, height (CSS px) as last drawn
  bool lit = false;             // a hidden neuron active (h > 0) at the probed point
};

struct GraphLink {
  int layer = 0;                // the links from column `layer` to column layer + 1
  int from = 0, to = 0;         // units
  float weight = 0;
  ImVec2 a, b;                  // ends, CSS px
};

// What the panel keeps between frames, and what it drew last (state().graph reports it).
struct NetworkGraph {
  std::vector<GraphNode> nodes;
  std::vector<GraphLink> links; // the links drawn
  std::uint64_t links_made_for = 0; // the weights and layout they were chosen for
  int links_total = 0;
  float pitch = 0;              // node spacing, CSS px
  int hovered = -1;             // index into nodes, -1: none
  int hovered_link = -1;        // index into links
  bool probed = false;          // nodes lit by a point: the cursor, else the pinned point
  bool probe_pinned = false;
  Eigen::Vector2d probe = Eigen::Vector2d::Zero();
  std::string probe_code;       // Code::to_string at the probe
  std::string selection;        // the clicked node's or link's weights
  // Pictures (drawn when a node is at least kMinPicturePx): remade when the network or the view
  // changes, at most every kPictureIntervalMs while training.
  NeuronPictures pictures;
  bool pictures_shown = false;
  unsigned texture = 0;
  int refreshes = 0;
  double refresh_ms = 0;        // how long the last refresh took
  double refreshed_at = -1e9;
  std::uint64_t refreshed_for = 0;
  // The links, drawn into an image (line_raster.h) when the weights or the layout change, at the
  // pictures' pace: one textured rectangle a frame instead of a strip of triangles per link.
  LineImage links_image;
  unsigned links_texture = 0;
  std::uint64_t links_for = 0, links_layout = 0;
  double links_at = -1e9;
  int links_refreshes = 0;
  double links_ms = 0;          // how long the last drawing of the links took
};

struct GraphInput {
  const Eigen::Vector2d* cursor = nullptr; // the cursor over the canvas (plane), or null
  const Eigen::Vector2d* pinned = nullptr; // the Inspector's pinned point, or null
  bool playing = false;
  double now_ms = 0;
  float right = 0, bottom = 0;  // where the window's bottom right corner goes (CSS px), every frame
  float max_width = 0, max_height = 0;
  bool light = false;
  bool busy = false;            // this frame already did expensive work: new weights wait a frame
};

// Draws the "Network graph" window for the pane. Sets pane.preview_layer / preview_unit while a
// hidden node is hovered and the pane's highlight on a click. *open: cleared by the window's close
// button.
void network_graph_window(NetworkGraph& graph, Pane& pane, const GraphInput& input, bool* open);

} // namespace splinescope
