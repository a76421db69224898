// network_graph.cpp - see network_graph.h.
//
// Index
//   [SECTION] Layout
//   [SECTION] Pictures
//   [SECTION] Drawing and input
#include "network_graph.h"

#include "imgui_renderer.h"
#include "type.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace splinescope {
namespace {

constexpr float kGapColumns = 1.6f;        // space between layers, in node pitches (for the links)
constexpr float kNodeFill = 0.8f;          // a node's side, in pitches
constexpr float kMaxPitch = 46.0f;         // CSS px at UI scale 1
constexpr float kMinPicturePx = 14.0f;     // smaller nodes show no picture
constexpr int kMaxPictureTexels = 48;      // a picture's side at most (device px)
constexpr double kPictureMacBudget = 3e6;  // multiply-adds one refresh of the pictures may cost
constexpr double kPictureIntervalMs = 250; // between refreshes while training (4 a second)
constexpr double kPictureIntervalPausedMs = 60;
constexpr double kLinksIntervalMs = 500;    // between drawings of the links while training
constexpr int kMaxLinksPerLayer = 256;     // the strongest links drawn between two layers
constexpr float kLinkPickPx = 4.0f;        // a link is hovered within this distance

// -----------------------------------------------------------------------------------------------
// [SECTION] Layout
// -----------------------------------------------------------------------------------------------

// Columns of nodes: for `counts` nodes per layer, the node pitch and rows that fit max_w x max_h
// best (largest pitch); a layer of more than `rows` nodes folds into ceil(count / rows) sub-columns.
struct Layout {
  float pitch = 0;
  int rows = 1;
  std::vector<int> sub_columns; // per layer
  float width = 0, height = 0;
};

Layout layout_columns(const std::vector<int>& counts, float max_w, float max_h, float max_pitch) {
  Layout best;
  const int most = *std::max_element(counts.begin(), counts.end());
  for (int rows = 1; rows <= most; ++rows) {
    float units = kGapColumns * static_cast<float>(counts.size() - 1);
    std::vector<int> sub;
    for (int n : counts) {
      sub.push_back((n + rows - 1) / rows);
      units += static_cast<float>(sub.back());
    }
    const float pitch = std::min({max_h / static_cast<float>(rows), max_w / units, max_pitch});
    if (pitch > best.pitch + 1e-3f) {
      best.pitch = pitch;
      best.rows = rows;
      best.sub_columns = sub;
      best.width = pitch * units;
      best.height = pitch * static_cast<float>(rows);
    }
  }
  return best;
}

// The nodes' rectangles for the layout, from the top left `origin`.
std::vector<GraphNode> place_nodes(const std::vector<int>& counts, const Layout& layout, ImVec2 origin) {
  std::vector<GraphNode> nodes;
  const float p = layout.pitch, side = p * kNodeFill;
  float x = origin.x;
  for (std::size_t l = 0; l < counts.size(); ++l) {
    const int n = counts[l], sub = layout.sub_columns[l];
    const int rows = (n + sub - 1) / sub;
    const float top = origin.y + 0.5f * p * static_cast<float>(layout.rows - rows);
    for (int u = 0; u < n; ++u) {
      GraphNode node;
      node.layer = static_cast<int>(l);
      node.unit = u;
      const float cx = x + p * (static_cast<float>(u / rows) + 0.5f);
      const float cy = top + p * (static_cast<float>(u % rows) + 0.5f);
      node.rect = {cx - 0.5f * side, cy - 0.5f * side, side, side};
      nodes.push_back(node);
    }
    x += p * (static_cast<float>(sub) + kGapColumns);
  }
  return nodes;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Pictures
// -----------------------------------------------------------------------------------------------

std::uint64_t mix(std::uint64_t h, const void* data, std::size_t bytes) {
  const unsigned char* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < bytes; ++i) h = (h ^ p[i]) * 1099511628211ull; // FNV-1a
  return h;
}

// The weights' bits, a word at a time (computed once a frame: 8 x 64 weights are 260 KB).
std::uint64_t mix_values(std::uint64_t h, const double* values, Eigen::Index n) {
  for (Eigen::Index i = 0; i < n; ++i) {
    std::uint64_t word;
    std::memcpy(&word, &values[i], sizeof word);
    h = (h ^ word) * 1099511628211ull;
    h ^= h >> 29;
  }
  return h;
}

std::uint64_t weights_key(const Network& net) {
  std::uint64_t h = 1469598103934665603ull;
  for (const Layer& layer : net.layers) {
    h = mix_values(h, layer.W.data(), layer.W.size());
    h = mix_values(h, layer.b.data(), layer.b.size());
    if (layer.batch_norm) {
      h = mix_values(h, layer.bn.running_mean.data(), layer.bn.running_mean.size());
      h = mix_values(h, layer.bn.running_var.data(), layer.bn.running_var.size());
      h = mix_values(h, layer.bn.gamma.data(), layer.bn.gamma.size());
      h = mix_values(h, layer.bn.beta.data(), layer.bn.beta.size());
    }
  }
  return h;
}

// What the pictures depend on: the weights, the window, their size and the tessellation used.
std::uint64_t picture_key(std::uint64_t weights, const Window& window, int side, const Pane& pane,
                          bool exact) {
  std::uint64_t h = weights;
  h = mix(h, &window, sizeof window);
  h = mix(h, &side, sizeof side);
  const std::int64_t counted = exact ? pane.tiles_counted_at : -1;
  return mix(h, &counted, sizeof counted);
}

// True when it made them.
bool refresh_pictures(NetworkGraph& graph, const Pane& pane, const GraphInput& input, float node_px,
                      std::uint64_t weights) {
  const Network& net = pane.shown_network();
  const float ratio = std::max(1.0f, ImGui::GetIO().DisplayFramebufferScale.x);
  int side = std::min(kMaxPictureTexels, static_cast<int>(std::ceil(node_px * ratio)));
  // A large network gets coarser pictures: one refresh stays within its budget.
  while (side > 8 && neuron_pictures_cost(net, side) > kPictureMacBudget) --side;
  const Window& window = pane.view;
  // The tessellation gives exact zero sets when it covers this window.
  const Window& tv = pane.tess_view;
  const bool exact = pane.tess.ok() && tv.x0 == window.x0 && tv.x1 == window.x1 &&
                     tv.y0 == window.y0 && tv.y1 == window.y1;
  const std::uint64_t key = picture_key(weights, window, side, pane, exact);
  if (key == graph.refreshed_for && graph.texture) return false;
  const double interval = input.playing ? kPictureIntervalMs : kPictureIntervalPausedMs;
  if (graph.texture && (input.busy || input.now_ms - graph.refreshed_at < interval)) return false;
  const auto t0 = std::chrono::steady_clock::now();
  graph.pictures = make_neuron_pictures(net, window, side, exact ? &pane.tess : nullptr);
  imgui_renderer_image(&graph.texture, graph.pictures.atlas_width(), graph.pictures.atlas_height(),
                       graph.pictures.rgba.data());
  graph.refresh_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  graph.refreshed_for = key;
  graph.refreshed_at = input.now_ms;
  ++graph.refreshes;
  return true;
}

// -----------------------------------------------------------------------------------------------
// [SECTION] Drawing and input
// -----------------------------------------------------------------------------------------------

// Orange for a positive weight, blue for a negative one, more opaque for a larger |w| (t: |w| over
// the layer's largest, 0..1). RGBA in 0..1.
std::array<float, 4> weight_colour(float w, float t, bool light) {
  const float alpha = 0.22f + 0.78f * t;
  if (w > 0) return light ? std::array<float, 4>{0.835f, 0.47f, 0.0f, alpha} : std::array<float, 4>{0.94f, 0.667f, 0.157f, alpha};
  return light ? std::array<float, 4>{0.0f, 0.369f, 0.627f, alpha} : std::array<float, 4>{0.235f, 0.588f, 0.902f, alpha};
}

// Draws the links into graph.links_image (texel = device pixel, origin at `top`) and uploads it,
// when the weights, the layout or the theme changed, at most every kPictureIntervalMs while
// training. True when it drew them.
bool refresh_links(NetworkGraph& graph, const GraphInput& input, ImVec2 top, ImVec2 size,
                   std::uint64_t weights_key) {
  const float ratio = std::max(1.0f, ImGui::GetIO().DisplayFramebufferScale.x);
  // A new layout or theme is drawn at once (the nodes moved); new weights at the pictures' pace.
  const float layout[4] = {size.x, size.y, ratio, graph.pitch};
  std::uint64_t layout_key = mix(1469598103934665603ull, layout, sizeof layout);
  layout_key = mix(layout_key, &input.light, sizeof input.light);
  layout_key = mix(layout_key, &graph.links_total, sizeof graph.links_total);
  const std::uint64_t key = mix(layout_key, &weights_key, sizeof weights_key);
  if (key == graph.links_for && graph.links_texture) return false;
  const double interval = input.playing ? kLinksIntervalMs : kPictureIntervalPausedMs;
  if (graph.links_texture && layout_key == graph.links_layout &&
      (input.busy || input.now_ms - graph.links_at < interval))
    return false;
  graph.links_layout = layout_key;
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<float> largest(16, 1e-12f);
  for (const GraphLink& link : graph.links) {
    if (link.layer >= static_cast<int>(largest.size())) largest.resize(link.layer + 1, 1e-12f);
    largest[link.layer] = std::max(largest[link.layer], std::abs(link.weight));
  }
  LineImage& image = graph.links_image;
  image.reset(static_cast<int>(std::ceil(size.x * ratio)), static_cast<int>(std::ceil(size.y * ratio)));
  const float thin = std::max(0.5f, 0.03f * graph.pitch), wide = std::max(2.0f, 0.12f * graph.pitch);
  for (const GraphLink& link : graph.links) { // weakest first: the strong ones on top
    const float t = std::abs(link.weight) / largest[link.layer];
    const std::array<float, 4> c = weight_colour(link.weight, t, input.light);
    image.line((link.a.x - top.x) * ratio, (link.a.y - top.y) * ratio, (link.b.x - top.x) * ratio,
               (link.b.y - top.y) * ratio, (thin + t * (wide - thin)) * ratio, c[0], c[1], c[2], c[3]);
  }
  const std::vector<std::uint8_t> rgba = image.rgba8();
  imgui_renderer_image(&graph.links_texture, image.width, image.height, rgba.data());
  graph.links_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  graph.links_for = key;
  graph.links_at = input.now_ms;
  ++graph.links_refreshes;
  return true;
}

float segment_distance(ImVec2 p, ImVec2 a, ImVec2 b) {
  const float dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
  const float t = len2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0f, 1.0f) : 0.0f;
  const float ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return std::sqrt(ex * ex + ey * ey);
}

// The links between every two consecutive columns: all of them, or the kMaxLinksPerLayer strongest.
void make_links(NetworkGraph& graph, const Network& net, const std::vector<int>& first) {
  graph.links.clear();
  graph.links_total = 0;
  for (int l = 0; l < static_cast<int>(net.layers.size()); ++l) {
    const Eigen::MatrixXd& W = net.layers[l].W; // (n_out, n_in)
    graph.links_total += static_cast<int>(W.size());
    std::vector<std::pair<float, int>> order; // (|w|, index) of the links kept
    order.reserve(W.size());
    for (Eigen::Index k = 0; k < W.size(); ++k)
      order.emplace_back(static_cast<float>(std::abs(W.data()[k])), static_cast<int>(k));
    if (static_cast<int>(order.size()) > kMaxLinksPerLayer) {
      std::nth_element(order.begin(), order.begin() + kMaxLinksPerLayer, order.end(),
                       [](const auto& a, const auto& b) { return a.first > b.first; });
      order.resize(kMaxLinksPerLayer);
    }
    // Weakest first: the strong links are drawn on top.
    std::sort(order.begin(), order.end());
    for (const auto& [size, k] : order) {
      GraphLink link;
      link.layer = l;
      link.to = static_cast<int>(k % W.rows());
      link.from = static_cast<int>(k / W.rows());
      link.weight = static_cast<float>(W(link.to, link.from));
      const GraphNode& a = graph.nodes[first[l] + link.from];
      const GraphNode& b = graph.nodes[first[l + 1] + link.to];
      link.a = ImVec2(a.rect[0] + a.rect[2], a.rect[1] + 0.5f * a.rect[3]);
      link.b = ImVec2(b.rect[0], b.rect[1] + 0.5f * b.rect[3]);
      graph.links.push_back(link);
    }
  }
}

std::string column_name(int layer, int hidden) {
  if (layer == 0) return "x";
  if (layer > hidden) return "f";
  return "h" + std::to_string(layer);
}

std::string node_text(const Network& net, const GraphNode& node) {
  const int hidden = net.hidden_layers();
  char text[200];
  if (node.layer == 0) {
    std::snprintf(text, sizeof text, "input x%d", node.unit + 1);
    return text;
  }
  const Layer& layer = net.layers[node.layer - 1];
  const Eigen::VectorXd w = layer.W.row(node.unit).transpose(); // (n_in)
  std::snprintf(text, sizeof text, "%s %d.%d: bias %+.4f, %d weights in [%+.3f, %+.3f], ‖w‖ = %.4f",
                node.layer > hidden ? "output" : "neuron", node.layer, node.unit,
                layer.b(node.unit), static_cast<int>(w.size()), w.minCoeff(), w.maxCoeff(), w.norm());
  return text;
}

std::string link_text(const GraphLink& link, int hidden) {
  char text[160];
  std::snprintf(text, sizeof text, "weight %+.4f from %s[%d] to %s[%d]", link.weight,
                column_name(link.layer, hidden).c_str(), link.from,
                column_name(link.layer + 1, hidden).c_str(), link.to);
  return text;
}

} // namespace

void network_graph_window(NetworkGraph& graph, Pane& pane, const GraphInput& input, bool* open) {
  pane.preview_layer = 0;
  const Network& net = pane.shown_network();
  const int hidden = net.hidden_layers();
  std::vector<int> counts{net.input_dim};
  for (const Layer& layer : net.layers) counts.push_back(layer.width());
  std::vector<int> first{0}; // the index of each column's first node
  for (int n : counts) first.push_back(first.back() + n);

  // Always in its corner: it follows the canvas's size and the caption below it.
  ImGui::SetNextWindowPos(ImVec2(input.right, input.bottom), ImGuiCond_Always, ImVec2(1.0f, 1.0f));
  if (!ImGui::Begin("Network graph", open, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings |
                                               ImGuiWindowFlags_NoMove)) {
    graph.nodes.clear();
    graph.links.clear();
    ImGui::End();
    return;
  }
  // Column heads, then the graph.
  const Layout layout = layout_columns(counts, input.max_width, input.max_height, ui_px(kMaxPitch));
  const float head = ImGui::GetTextLineHeight();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 top(origin.x, origin.y + head);
  graph.pitch = layout.pitch;
  graph.nodes = place_nodes(counts, layout, top);
  // The links (their choice and their ends) change with the weights and the layout only.
  const std::uint64_t weights = weights_key(net);
  const float placed[4] = {top.x, top.y, layout.pitch, layout.width};
  const std::uint64_t links_key = mix(weights, placed, sizeof placed);
  if (links_key != graph.links_made_for || graph.links.empty()) {
    make_links(graph, net, first);
    graph.links_made_for = links_key;
  }
  ImGui::InvisibleButton("graph", ImVec2(std::max(1.0f, layout.width), layout.height + head));
  const bool area_hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
  ImDrawList* list = ImGui::GetWindowDrawList();
  const ImU32 text_colour = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  for (std::size_t l = 0; l < counts.size(); ++l) {
    const GraphNode& a = graph.nodes[first[l]];
    const std::string name = column_name(static_cast<int>(l), hidden);
    const float column_w = layout.pitch * static_cast<float>(layout.sub_columns[l]);
    const float x = a.rect[0] - 0.5f * (layout.pitch - a.rect[2]);
    list->AddText(ImVec2(x + 0.5f * (column_w - ImGui::CalcTextSize(name.c_str()).x), origin.y),
                  text_colour, name.c_str());
  }

  // What lights the nodes: the cursor over the canvas, else the pinned point.
  graph.probed = input.cursor || input.pinned;
  graph.probe_pinned = !input.cursor && input.pinned;
  Code code;
  if (graph.probed) {
    graph.probe = input.cursor ? *input.cursor : *input.pinned;
    Eigen::MatrixXd X = Eigen::MatrixXd::Zero(net.input_dim, 1); // (D, 1): the standard slice
    X(0, 0) = graph.probe.x();
    if (net.input_dim > 1) X(1, 0) = graph.probe.y();
    code = activation_codes(net, X)[0];
    graph.probe_code = code.to_string(net);
  } else {
    graph.probe_code.clear();
  }
  for (GraphNode& node : graph.nodes)
    node.lit = graph.probed && node.layer >= 1 && node.layer <= hidden &&
               code.bit(net.neuron_offset(node.layer - 1) + node.unit);

  // Hover: a node, else the nearest link within kLinkPickPx.
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  graph.hovered = -1;
  graph.hovered_link = -1;
  if (area_hovered) {
    for (std::size_t i = 0; i < graph.nodes.size() && graph.hovered < 0; ++i) {
      const auto& r = graph.nodes[i].rect;
      if (mouse.x >= r[0] && mouse.x <= r[0] + r[2] && mouse.y >= r[1] && mouse.y <= r[1] + r[3])
        graph.hovered = static_cast<int>(i);
    }
    float nearest = kLinkPickPx;
    for (std::size_t i = 0; i < graph.links.size() && graph.hovered < 0; ++i) {
      const float d = segment_distance(mouse, graph.links[i].a, graph.links[i].b);
      if (d <= nearest) nearest = d, graph.hovered_link = static_cast<int>(i);
    }
  }

  // Links, from their image.
  // One refresh a frame at most, and none in a frame that already refreshed the geometry.
  GraphInput refresh = input;
  refresh.busy = input.busy || refresh_links(graph, input, top, ImVec2(layout.width, layout.height), weights);
  list->AddImage(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(graph.links_texture)), top,
                 ImVec2(top.x + layout.width, top.y + layout.height));
  const float wide = std::max(2.0f, 0.12f * layout.pitch);
  if (graph.hovered_link >= 0) {
    const GraphLink& link = graph.links[graph.hovered_link];
    list->AddLine(link.a, link.b, input.light ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255),
                  wide + 1.0f);
  }

  // Nodes: their pictures (or plain squares when small), lit or dimmed by the probe, framed when
  // selected or hovered.
  const float node_px = layout.pitch * kNodeFill;
  graph.pictures_shown = node_px >= kMinPicturePx;
  if (graph.pictures_shown) refresh_pictures(graph, pane, refresh, node_px, weights);
  const NeuronPictures& pics = graph.pictures;
  const bool pictures_match = graph.pictures_shown && pics.count() == static_cast<int>(graph.nodes.size());
  const ImU32 frame = input.light ? IM_COL32(30, 30, 40, 255) : IM_COL32(235, 235, 245, 255);
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    const GraphNode& node = graph.nodes[i];
    const ImVec2 p0(node.rect[0], node.rect[1]), p1(p0.x + node.rect[2], p0.y + node.rect[3]);
    const bool is_hidden = node.layer >= 1 && node.layer <= hidden;
    if (pictures_match) {
      const int k = static_cast<int>(i);
      const float aw = static_cast<float>(pics.atlas_width()), ah = static_cast<float>(pics.atlas_height());
      const float u0 = static_cast<float>((k % pics.columns) * pics.side) / aw;
      const float v0 = static_cast<float>((k / pics.columns) * pics.side) / ah;
      list->AddImage(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(graph.texture)), p0, p1,
                     ImVec2(u0, v0), ImVec2(u0 + pics.side / aw, v0 + pics.side / ah));
      if (graph.probed && is_hidden && !node.lit) list->AddRectFilled(p0, p1, IM_COL32(0, 0, 0, 150));
    } else {
      const ImU32 fill = !is_hidden ? IM_COL32(120, 120, 135, 255)
                         : !graph.probed ? IM_COL32(95, 95, 110, 255)
                         : node.lit ? IM_COL32(255, 200, 70, 255)
                                    : IM_COL32(45, 45, 55, 255);
      list->AddRectFilled(p0, p1, fill, 0.15f * node_px);
    }
    if (graph.probed && node.lit)
      list->AddRect(ImVec2(p0.x - 1, p0.y - 1), ImVec2(p1.x + 1, p1.y + 1), frame, 0, 0, 2.0f);
    const bool selected = is_hidden && pane.highlight_layer == node.layer && pane.highlight_unit == node.unit;
    if (selected)
      list->AddRect(ImVec2(p0.x - 2, p0.y - 2), ImVec2(p1.x + 2, p1.y + 2), IM_COL32(255, 120, 20, 255), 0, 0, 2.5f);
    else if (static_cast<int>(i) == graph.hovered)
      list->AddRect(ImVec2(p0.x - 1.5f, p0.y - 1.5f), ImVec2(p1.x + 1.5f, p1.y + 1.5f), frame, 0, 0, 1.5f);
  }

  // Hover and click.
  if (graph.hovered >= 0) {
    const GraphNode& node = graph.nodes[graph.hovered];
    const bool is_hidden = node.layer >= 1 && node.layer <= hidden;
    if (is_hidden) {
      pane.preview_layer = node.layer;
      pane.preview_unit = node.unit;
    }
    const bool selected = is_hidden && pane.highlight_layer == node.layer && pane.highlight_unit == node.unit;
    ImGui::SetTooltip("%s%s", node_text(net, node).c_str(),
                      !is_hidden ? "" : selected ? "\nclick: hide its bent hyperplane"
                                                 : "\nits zero set is drawn on the canvas; click: keep it");
    if (clicked) {
      graph.selection = node_text(net, node);
      if (is_hidden) {
        pane.highlight_layer = selected ? 0 : node.layer;
        pane.highlight_unit = selected ? 0 : node.unit;
      }
    }
  } else if (graph.hovered_link >= 0) {
    const std::string text = link_text(graph.links[graph.hovered_link], hidden);
    ImGui::SetTooltip("%s", text.c_str());
    if (clicked) graph.selection = text;
  }

  // What the picture leaves out, and what the nodes say.
  if (static_cast<int>(graph.links.size()) < graph.links_total)
    ImGui::TextDisabled("%d of %d links shown: the %d strongest per layer",
                        static_cast<int>(graph.links.size()), graph.links_total, kMaxLinksPerLayer);
  if (graph.probed)
    ImGui::TextDisabled("lit: active (h > 0) at the %s", graph.probe_pinned ? "pinned point" : "cursor");
  else
    ImGui::TextDisabled("point at the canvas: lit nodes are its code");
  if (!graph.selection.empty()) ImGui::TextWrapped("%s", graph.selection.c_str());
  ImGui::End();
}

} // namespace splinescope
