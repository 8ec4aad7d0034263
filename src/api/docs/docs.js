// Renders the reference of the surface the path names (/docs/<surface>, /docs: native) with
// Redoc, from the OpenAPI document this server serves; nothing is loaded from another host.
(function () {
  var surfaces = ["native", "v1", "liondesk", "leadconnector"];
  var name = location.pathname.replace(/\/+$/, "").split("/").pop();
  var surface = surfaces.indexOf(name) >= 0 ? name : "native";
  var spec = "/openapi/" + surface + ".json";
  document.getElementById("spec-link").setAttribute("href", spec);
  var links = document.querySelectorAll("#surfaces a");
  for (var i = 0; i < links.length; i++) {
    if (links[i].getAttribute("href") === "/docs/" + surface) links[i].className = "current";
  }
  // The sidebar and the menu links start below the bar of surfaces.
  Redoc.init(spec, {scrollYOffset: "#surfaces", hideDownloadButton: false},
             document.getElementById("reference"));
})();
