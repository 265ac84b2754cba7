<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/about.py" line="27"/>
        <source>About Cauce</source>
        <extracomment>the documentation shipped with the sources</extracomment>
        <translation>Acerca de Cauce</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/about.py" line="36"/>
        <source>A desktop studio to draw data pipelines, compile them to SQL and run them locally or in the warehouse.</source>
        <translation>Un estudio de escritorio para dibujar canalizaciones de datos, compilarlas a SQL y ejecutarlas en local o en el almacén de datos.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/about.py" line="42"/>
        <source>Qt %1 · PySide6 %2 · Python %3</source>
        <translation>Qt %1 · PySide6 %2 · Python %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/about.py" line="48"/>
        <source>Licensed under the %1 licence.</source>
        <translation>Publicado bajo la licencia %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/about.py" line="53"/>
        <source>Documentation</source>
        <translation>Documentación</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/about.py" line="56"/>
        <source>Documentation: the docs folder of the Cauce sources.</source>
        <translation>Documentación: la carpeta docs de las fuentes de Cauce.</translation>
    </message>
</context>
<context>
    <name>AlertCentre</name>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="60"/>
        <source>Alerts — %1</source>
        <translation>Alertas — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="68"/>
        <source>Open and acknowledged</source>
        <translation>Abiertas y reconocidas</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="69"/>
        <source>Acknowledged</source>
        <translation>Reconocidas</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="70"/>
        <source>Resolved</source>
        <translation>Resueltas</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="71"/>
        <source>All</source>
        <translation>Todas</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="75"/>
        <source>&amp;Show:</source>
        <translation>&amp;Mostrar:</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="80"/>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="81"/>
        <source>Severity</source>
        <translation>Gravedad</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="82"/>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="83"/>
        <source>Subject</source>
        <translation>Asunto</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="84"/>
        <source>Count</source>
        <translation>Veces</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="85"/>
        <source>First seen</source>
        <translation>Primera vez</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="86"/>
        <source>Last seen</source>
        <translation>Última vez</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="88"/>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="98"/>
        <source>No alert to show.</source>
        <translation>No hay alertas que mostrar.</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="102"/>
        <source>Select an alert to read its message.</source>
        <translation>Seleccione una alerta para leer su mensaje.</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="103"/>
        <location filename="../../app/ui/alerts/centre.py" line="229"/>
        <source>&amp;Acknowledge</source>
        <translation>&amp;Reconocer</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="105"/>
        <source>Someone is on it: it stays open, later failures are not notified</source>
        <translation>Alguien se ocupa: sigue abierta y los fallos siguientes no se notifican</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="107"/>
        <location filename="../../app/ui/alerts/centre.py" line="230"/>
        <source>&amp;Resolve</source>
        <translation>Re&amp;solver</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="108"/>
        <source>End it: the next failure opens a new alert</source>
        <translation>Cerrarla: el próximo fallo abre una alerta nueva</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="109"/>
        <source>Re&amp;fresh</source>
        <translation>Actuali&amp;zar</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="188"/>
        <source>Acknowledged by %1 at %2</source>
        <translation>Reconocida por %1 el %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="193"/>
        <source>Resolved at %1</source>
        <translation>Resuelta el %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="216"/>
        <source>Alert #%1 acknowledged.</source>
        <translation>Alerta n.º %1 reconocida.</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="219"/>
        <source>Alert #%1 resolved.</source>
        <translation>Alerta n.º %1 resuelta.</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="234"/>
        <source>Copy acknowledge as c&amp;url</source>
        <translation>Copiar reconocer como c&amp;url</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="240"/>
        <source>Copy resolve as cu&amp;rl</source>
        <translation>Copiar resolver como cu&amp;rl</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/centre.py" line="253"/>
        <source>Copied a curl command for alert #%1 (set CAUCE_API_KEY first).</source>
        <translation>Copiado un comando curl para la alerta n.º %1 (define antes CAUCE_API_KEY).</translation>
    </message>
</context>
<context>
    <name>AlertWatcher</name>
    <message>
        <location filename="../../app/ui/alerts/watch.py" line="119"/>
        <source>Alert: %1 (%2)</source>
        <extracomment>how often the open project&apos;s alerts are looked at when nothing in the editor ran (ms) alert severity -&gt; notification level the node to select (a failed pipeline run&apos;s failing node), else None an alert was notified (its id) a look is under way (a poll does not start another one)</extracomment>
        <translation>Alerta: %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/watch.py" line="126"/>
        <source>Click to open the pipeline at the failing node.</source>
        <translation>Haga clic para abrir el pipeline en el nodo que falló.</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <location filename="../../app/ui/notify.py" line="100"/>
        <source>Dismiss</source>
        <extracomment>level -&gt; (icon name, accent colour) a longer message is cut (the whole text is the tooltip)</extracomment>
        <translation>Descartar</translation>
    </message>
</context>
<context>
    <name>BrowseEditor</name>
    <message>
        <location filename="../../app/ui/properties/browse.py" line="62"/>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <location filename="../../app/ui/properties/browse.py" line="81"/>
        <source>Choose a file</source>
        <translation>Elija un archivo</translation>
    </message>
    <message>
        <location filename="../../app/ui/properties/browse.py" line="83"/>
        <source>Data files (*.csv *.tsv *.txt *.parquet *.json *.jsonl);;All files (*)</source>
        <translation>Archivos de datos (*.csv *.tsv *.txt *.parquet *.json *.jsonl);;Todos los archivos (*)</translation>
    </message>
</context>
<context>
    <name>Bundles</name>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="60"/>
        <source>added</source>
        <extracomment>plan kind -&gt; (icon, colour of the kind&apos;s text)</extracomment>
        <translation>añadido</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="61"/>
        <source>changed</source>
        <translation>modificado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="62"/>
        <source>layout only</source>
        <translation>solo disposición</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="63"/>
        <source>unchanged</source>
        <translation>sin cambios</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="64"/>
        <source>removed</source>
        <translation>eliminado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="71"/>
        <source>Project</source>
        <translation>Proyecto</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="72"/>
        <source>Connections</source>
        <translation>Conexiones</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="73"/>
        <source>Pipelines</source>
        <translation>Canalizaciones</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="74"/>
        <source>Data files</source>
        <translation>Archivos de datos</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="75"/>
        <source>Dictionary and glossary</source>
        <translation>Diccionario y glosario</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="112"/>
        <source>Export project</source>
        <translation>Exportar proyecto</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="114"/>
        <location filename="../../app/ui/dialogs/bundles.py" line="297"/>
        <source>Cauce bundles (*.cauce)</source>
        <translation>Paquetes de Cauce (*.cauce)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="161"/>
        <source>Exporting…</source>
        <translation>Exportando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="173"/>
        <source>Export failed</source>
        <translation>Error al exportar</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="174"/>
        <source>The project could not be exported.</source>
        <translation>No se pudo exportar el proyecto.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="181"/>
        <source>Project exported</source>
        <translation>Proyecto exportado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="182"/>
        <source>The bundle was written to %1.</source>
        <translation>El paquete se guardó en %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="295"/>
        <source>Import a bundle</source>
        <translation>Importar un paquete</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="303"/>
        <source>Import into folder</source>
        <translation>Importar en la carpeta</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="342"/>
        <source>Checking the bundle…</source>
        <translation>Comprobando el paquete…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="354"/>
        <source>Cannot import this bundle</source>
        <translation>No se puede importar este paquete</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="355"/>
        <source>%1 failed its checks; nothing was written.</source>
        <translation>%1 no superó las comprobaciones; no se escribió nada.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="371"/>
        <source>Importing…</source>
        <translation>Importando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="378"/>
        <source>Import failed</source>
        <translation>Error al importar</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="379"/>
        <source>Nothing was changed.</source>
        <translation>No se cambió nada.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="386"/>
        <source>Project imported</source>
        <translation>Proyecto importado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="387"/>
        <source>Project “%1” is in %2.</source>
        <translation>El proyecto «%1» está en %2.</translation>
    </message>
</context>
<context>
    <name>CanvasBridge</name>
    <message>
        <location filename="../../app/ui/canvas/bridge.py" line="204"/>
        <source>That node is not in the pipeline any more.</source>
        <translation>Ese nodo ya no está en la canalización.</translation>
    </message>
    <message>
        <location filename="../../app/ui/canvas/bridge.py" line="209"/>
        <location filename="../../app/ui/canvas/bridge.py" line="212"/>
        <source>{0} has no port {1}.</source>
        <translation>{0} no tiene el puerto {1}.</translation>
    </message>
    <message>
        <location filename="../../app/ui/canvas/bridge.py" line="215"/>
        <source>These ports are already linked.</source>
        <translation>Estos puertos ya están conectados.</translation>
    </message>
    <message>
        <location filename="../../app/ui/canvas/bridge.py" line="217"/>
        <source>A node cannot be linked to itself.</source>
        <translation>Un nodo no se puede conectar consigo mismo.</translation>
    </message>
    <message>
        <location filename="../../app/ui/canvas/bridge.py" line="220"/>
        <source>Cannot link {0} to {1}: {1} already feeds {0}, the link would make a cycle.</source>
        <translation>No se puede conectar {0} con {1}: {1} ya alimenta a {0} y la conexión crearía un ciclo.</translation>
    </message>
    <message>
        <location filename="../../app/ui/canvas/bridge.py" line="277"/>
        <source>Replaced the link from {0} into {1} ({2} takes one link; Undo brings it back).</source>
        <translation>Se reemplazó el enlace de {0} a {1} ({2} admite un solo enlace; Deshacer lo recupera).</translation>
    </message>
    <message>
        <location filename="../../app/ui/canvas/decorations.py" line="266"/>
        <source>%1: columns not known (see Problems)</source>
        <extracomment>&quot;zoom to fit&quot; never goes below this scale: titles and ports stay readable; a wider graph is centred on the selection (or its middle) and panned scene pixels left around the nodes when framing them border colours of the nodes a version diff touches (the diff view&apos;s legend uses them) where each node ran (the plan&apos;s placement): a badge above the node columns listed in a port&apos;s tooltip before &quot;… and N more&quot;</extracomment>
        <translation>%1: columnas desconocidas (vea Problemas)</translation>
    </message>
    <message>
        <location filename="../../app/ui/canvas/decorations.py" line="268"/>
        <source>%1: %2 column(s)</source>
        <translation>%1: %2 columna(s)</translation>
    </message>
    <message>
        <location filename="../../app/ui/canvas/decorations.py" line="276"/>
        <source>… and %1 more</source>
        <translation>… y %1 más</translation>
    </message>
</context>
<context>
    <name>CanvasView</name>
    <message>
        <location filename="../../app/ui/canvas/view.py" line="66"/>
        <source>Unknown component</source>
        <extracomment>a node whose only problems are warnings (a union filling gaps with NULLs, a narrowing cast)</extracomment>
        <translation>Componente desconocido</translation>
    </message>
</context>
<context>
    <name>CatalogModel</name>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="181"/>
        <source>Schema</source>
        <translation>Esquema</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="182"/>
        <source>Table</source>
        <translation>Tabla</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="183"/>
        <source>Kind</source>
        <translation>Clase</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="184"/>
        <source>Rows (estimate)</source>
        <translation>Filas (estimación)</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="185"/>
        <source>Columns</source>
        <translation>Columnas</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="197"/>
        <source>table</source>
        <translation>tabla</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="197"/>
        <source>view</source>
        <translation>vista</translation>
    </message>
</context>
<context>
    <name>ChangeTextsMixin</name>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="26"/>
        <source>pending</source>
        <translation>pendiente</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="27"/>
        <source>approved</source>
        <translation>aprobado</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="28"/>
        <source>rejected</source>
        <translation>rechazado</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="29"/>
        <source>rolled back</source>
        <translation>revertido</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="30"/>
        <source>withdrawn</source>
        <translation>retirado</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="35"/>
        <source>added</source>
        <translation>añadida</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="36"/>
        <source>widened</source>
        <translation>ampliada</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="37"/>
        <source>type changed</source>
        <translation>tipo cambiado</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="38"/>
        <source>removed</source>
        <translation>eliminada</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="39"/>
        <source>renamed?</source>
        <translation>¿renombrada?</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="44"/>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="47"/>
        <source>%1: %2 → %3</source>
        <translation>%1: %2 → %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="64"/>
        <source>State: %1. Detected %2; held the destination for %3 run(s).</source>
        <translation>Estado: %1. Detectado el %2; retuvo el destino durante %3 ejecución(es).</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="70"/>
        <source>Impact</source>
        <translation>Impacto</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="74"/>
        <source>No pipeline or sync of this project reads it.</source>
        <translation>Ningún pipeline ni sincronización de este proyecto la lee.</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="78"/>
        <source>pipeline %1</source>
        <translation>pipeline %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="78"/>
        <source>sync %1</source>
        <translation>sincronización %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="80"/>
        <source>uses the column</source>
        <translation>usa la columna</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="81"/>
        <source>reads the table (not the column yet)</source>
        <translation>lee la tabla (aún no la columna)</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="82"/>
        <source>copies every column</source>
        <translation>copia todas las columnas</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="95"/>
        <source>Reader</source>
        <translation>Lector</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="96"/>
        <source>Reading nodes</source>
        <translation>Nodos que la leen</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="97"/>
        <source>How</source>
        <translation>Cómo</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="98"/>
        <source>Reaches</source>
        <translation>Llega a</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="102"/>
        <source>History</source>
        <translation>Historial</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="105"/>
        <source>%1 by %2 at %3</source>
        <translation>%1 por %2 el %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="113"/>
        <source>No decision yet.</source>
        <translation>Aún sin decisión.</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="118"/>
        <source>Approved</source>
        <translation>Aprobado</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="119"/>
        <source>Rejected</source>
        <translation>Rechazado</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="120"/>
        <source>Rolled back</source>
        <translation>Revertido</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/change_texts.py" line="121"/>
        <source>Withdrawn</source>
        <translation>Retirado</translation>
    </message>
</context>
<context>
    <name>ChannelForm</name>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="55"/>
        <source>Edit channel</source>
        <translation>Editar canal</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="55"/>
        <source>New channel</source>
        <translation>Nuevo canal</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="59"/>
        <source>Webhook</source>
        <translation>Webhook</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="59"/>
        <source>E-mail</source>
        <translation>Correo electrónico</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="66"/>
        <source>ops@example.com, oncall@example.com</source>
        <translation>ops@example.com, oncall@example.com</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="68"/>
        <source>cauce@example.com</source>
        <translation>cauce@example.com</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="75"/>
        <source>None checked: every alert type</source>
        <translation>Ninguno marcado: todos los tipos de alerta</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="81"/>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="82"/>
        <source>&amp;Kind:</source>
        <translation>&amp;Clase:</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="83"/>
        <source>&amp;URL:</source>
        <translation>&amp;URL:</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="84"/>
        <source>&amp;Secret:</source>
        <translation>&amp;Secreto:</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="85"/>
        <source>&amp;To:</source>
        <translation>&amp;Para:</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="86"/>
        <source>&amp;From:</source>
        <translation>&amp;De:</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="87"/>
        <source>&amp;Alert types:</source>
        <translation>&amp;Tipos de alerta:</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="88"/>
        <source>&amp;Least severity:</source>
        <translation>Gravedad &amp;mínima:</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="138"/>
        <source>https://hooks.example.com/cauce</source>
        <translation>https://hooks.example.com/cauce</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="140"/>
        <location filename="../../app/ui/alerts/channel_form.py" line="147"/>
        <source>stored; leave empty to keep it</source>
        <translation>guardado; déjelo vacío para conservarlo</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="142"/>
        <source>whsec_… (leave empty to generate one)</source>
        <translation>whsec_… (déjelo vacío para generar uno)</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="145"/>
        <source>smtp://alerts@smtp.example.com:587</source>
        <translation>smtp://alerts@smtp.example.com:587</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="147"/>
        <source>SMTP password</source>
        <translation>Contraseña SMTP</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="151"/>
        <source>stored in the secret store; leave empty to keep it</source>
        <translation>guardada en el almacén de secretos; déjela vacía para conservarla</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="153"/>
        <source>https://hooks.slack.com/services/…</source>
        <translation>https://hooks.slack.com/services/…</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channel_form.py" line="182"/>
        <source>Checking the channel…</source>
        <translation>Comprobando el canal…</translation>
    </message>
</context>
<context>
    <name>ChannelsDialog</name>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="77"/>
        <source>Notification channels — %1</source>
        <extracomment>the desktop&apos;s copy of CAUCE_WEBHOOK_ALLOW_HOSTS, in the application settings a test delivery ended: its status (delivered, pending, dead)</extracomment>
        <translation>Canales de notificación — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="80"/>
        <source>&amp;Channels</source>
        <translation>&amp;Canales</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="81"/>
        <source>Rule &amp;simulator</source>
        <translation>&amp;Simulador de reglas</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="96"/>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="97"/>
        <source>Kind</source>
        <translation>Clase</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="99"/>
        <source>Where</source>
        <translation>Dónde</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="100"/>
        <source>(in the secret store)</source>
        <translation>(en el almacén de secretos)</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="103"/>
        <source>Alert types</source>
        <translation>Tipos de alerta</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="104"/>
        <source>all</source>
        <translation>todos</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="106"/>
        <source>Least severity</source>
        <translation>Gravedad mínima</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="115"/>
        <source>No channel yet. “Add…” defines one.</source>
        <translation>Aún no hay canales. «Añadir…» define uno.</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="117"/>
        <source>&amp;Add…</source>
        <translation>&amp;Añadir…</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="118"/>
        <source>&amp;Edit…</source>
        <translation>&amp;Editar…</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="119"/>
        <source>&amp;Remove</source>
        <translation>&amp;Quitar</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="120"/>
        <location filename="../../app/ui/alerts/channels.py" line="191"/>
        <source>Send &amp;test</source>
        <translation>Enviar &amp;prueba</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="131"/>
        <source>Administrator: internal hosts webhooks may reach</source>
        <translation>Administrador: hosts internos a los que pueden llegar los webhooks</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="133"/>
        <source>hooks.internal, 10.1.0.0/16</source>
        <translation>hooks.internal, 10.1.0.0/16</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="136"/>
        <source>Host names, addresses or CIDR blocks (as CAUCE_WEBHOOK_ALLOW_HOSTS on servers); everything else that is not public is refused</source>
        <translation>Nombres de host, direcciones o bloques CIDR (como CAUCE_WEBHOOK_ALLOW_HOSTS en los servidores); se rechaza todo lo demás que no sea público</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="140"/>
        <source>A&amp;pply</source>
        <translation>A&amp;plicar</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="192"/>
        <source>Copy test as c&amp;url</source>
        <translation>Copiar prueba como c&amp;url</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="201"/>
        <source>Copied a curl command that sends a test through “%1”.</source>
        <translation>Copiado un comando curl que envía una prueba por «%1».</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="231"/>
        <source>Channel “%1” saved. Its signing secret, shown only now (give it to the receiver): %2</source>
        <translation>Canal «%1» guardado. Su secreto de firma, que solo se muestra ahora (déselo al receptor): %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="237"/>
        <source>Channel “%1” saved.</source>
        <translation>Canal «%1» guardado.</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="255"/>
        <source>Remove channel</source>
        <translation>Quitar canal</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="256"/>
        <source>Remove the channel “%1” and forget its secrets?</source>
        <translation>¿Quitar el canal «%1» y olvidar sus secretos?</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="262"/>
        <source>Removing…</source>
        <translation>Quitando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="266"/>
        <source>Channel “%1” removed.</source>
        <translation>Canal «%1» quitado.</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="275"/>
        <source>Sending a test to “%1”…</source>
        <translation>Enviando una prueba a «%1»…</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="291"/>
        <source>Test delivered to “%1”%2.</source>
        <translation>Prueba entregada a «%1»%2.</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="293"/>
        <source>Test not delivered to “%1”%2: %3 (it stays queued for retries)</source>
        <translation>Prueba no entregada a «%1»%2: %3 (queda en cola para reintentos)</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="310"/>
        <source>Allowed: %1</source>
        <translation>Permitidos: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="312"/>
        <source>No internal host is allowed.</source>
        <translation>No se permite ningún host interno.</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="321"/>
        <source>Replay the &amp;last</source>
        <translation>Reproducir las ú&amp;ltimas</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="323"/>
        <source>Si&amp;mulate</source>
        <translation>Si&amp;mular</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="329"/>
        <source>alerts through the current channels (nothing is sent)</source>
        <translation>alertas con los canales actuales (no se envía nada)</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="335"/>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="336"/>
        <source>Severity</source>
        <translation>Gravedad</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="337"/>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="338"/>
        <source>Subject</source>
        <translation>Asunto</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="339"/>
        <source>Told</source>
        <translation>Avisados</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="341"/>
        <source>Not told, and why</source>
        <translation>No avisados, y por qué</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="349"/>
        <source>Press Simulate to replay the latest alerts.</source>
        <translation>Pulse Simular para reproducir las últimas alertas.</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="369"/>
        <source>%1 alert(s) replayed.</source>
        <translation>%1 alerta(s) reproducida(s).</translation>
    </message>
    <message>
        <location filename="../../app/ui/alerts/channels.py" line="371"/>
        <source>No alert recorded for this project yet.</source>
        <translation>Aún no hay alertas registradas para este proyecto.</translation>
    </message>
</context>
<context>
    <name>CheckStatus</name>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="28"/>
        <source>passed</source>
        <translation>superada</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="29"/>
        <source>failed</source>
        <translation>fallida</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="30"/>
        <source>warned</source>
        <translation>con aviso</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="31"/>
        <source>error</source>
        <translation>error</translation>
    </message>
</context>
<context>
    <name>ColumnChoiceModel</name>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="232"/>
        <source>Source column</source>
        <translation>Columna de origen</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="232"/>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="232"/>
        <source>Destination name</source>
        <translation>Nombre en el destino</translation>
    </message>
</context>
<context>
    <name>ColumnPicks</name>
    <message>
        <location filename="../../app/ui/syncs/widgets.py" line="54"/>
        <source>Read loosely (coerce)</source>
        <translation>Leer con flexibilidad (coerce)</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/widgets.py" line="55"/>
        <source>Values that do not fit the column&apos;s declared type are converted (2.7 in an INTEGER column becomes 2) instead of stopping the sync.</source>
        <translation>Los valores que no encajan en el tipo declarado de la columna se convierten (2.7 en una columna INTEGER pasa a ser 2) en lugar de detener la sincronización.</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/widgets.py" line="62"/>
        <source>Booleans</source>
        <translation>Booleanos</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/widgets.py" line="63"/>
        <source>Integer columns (tinyint(1) flags) read as true/false; a value other than 0 or 1 stops the sync.</source>
        <translation>Columnas enteras (indicadores tinyint(1)) leídas como verdadero/falso; un valor distinto de 0 o 1 detiene la sincronización.</translation>
    </message>
</context>
<context>
    <name>ColumnsEditor</name>
    <message>
        <location filename="../../app/ui/properties/editors.py" line="350"/>
        <source>Chosen: %1</source>
        <extracomment>the colour of the compiler&apos;s problems (error texts, frames of faulty fields)</extracomment>
        <translation>Elegidas: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/properties/editors.py" line="352"/>
        <source>Chosen: none</source>
        <translation>Elegidas: ninguna</translation>
    </message>
</context>
<context>
    <name>ColumnsPage</name>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="198"/>
        <source>Columns</source>
        <translation>Columnas</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="201"/>
        <source>Untick the columns to leave out; double-click a destination name to rename a column.</source>
        <translation>Desmarque las columnas que quiera excluir; haga doble clic en un nombre de destino para renombrar la columna.</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="219"/>
        <source>Select all</source>
        <translation>Marcar todas</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="221"/>
        <source>Select none</source>
        <translation>Desmarcar todas</translation>
    </message>
</context>
<context>
    <name>CompletingTextEdit</name>
    <message>
        <location filename="../../app/ui/properties/completion.py" line="73"/>
        <source>column</source>
        <translation>columna</translation>
    </message>
    <message>
        <location filename="../../app/ui/properties/completion.py" line="79"/>
        <source>function</source>
        <translation>función</translation>
    </message>
</context>
<context>
    <name>ComplianceDialog</name>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="81"/>
        <source>Compliance — %1</source>
        <extracomment>request states -&gt; the colours of the monitoring lists (open requests wait: amber) where an export goes (a file dialog; tests give their own) the confirmation before erasing (tests may answer it themselves)</extracomment>
        <translation>Cumplimiento — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="89"/>
        <source>access</source>
        <translation>acceso</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="90"/>
        <source>portability</source>
        <translation>portabilidad</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="91"/>
        <source>erasure</source>
        <translation>supresión</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="92"/>
        <source>rectification</source>
        <translation>rectificación</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="95"/>
        <source>open</source>
        <translation>abierta</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="96"/>
        <source>in progress</source>
        <translation>en curso</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="97"/>
        <source>done</source>
        <translation>atendida</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="98"/>
        <source>overdue</source>
        <translation>vencida</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="107"/>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="109"/>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="113"/>
        <source>Due</source>
        <translation>Vence</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="114"/>
        <source>Subject</source>
        <translation>Interesado</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="115"/>
        <source>Registered</source>
        <translation>Registrada</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="116"/>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="123"/>
        <source>No request yet. “New request…” registers one.</source>
        <translation>Aún no hay solicitudes. «Nueva solicitud…» registra una.</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="125"/>
        <source>&amp;New request…</source>
        <translation>&amp;Nueva solicitud…</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="126"/>
        <source>&amp;Find</source>
        <translation>&amp;Buscar</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="127"/>
        <source>E&amp;xport…</source>
        <translation>E&amp;xportar…</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="128"/>
        <source>&amp;Erase…</source>
        <translation>&amp;Suprimir…</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="129"/>
        <source>&amp;Close request…</source>
        <translation>Ce&amp;rrar solicitud…</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="130"/>
        <source>&amp;Verify audit</source>
        <translation>&amp;Verificar auditoría</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="131"/>
        <source>Re&amp;fresh</source>
        <translation>Act&amp;ualizar</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="133"/>
        <source>Delete or anonymise the subject everywhere; later runs leave them out</source>
        <translation>Borra o anonimiza al interesado en todas partes; las ejecuciones posteriores lo dejan fuera</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="151"/>
        <source>Connection</source>
        <translation>Conexión</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="152"/>
        <source>Table</source>
        <translation>Tabla</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="154"/>
        <source>Rows</source>
        <translation>Filas</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="159"/>
        <source>Columns</source>
        <translation>Columnas</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="160"/>
        <source>Written by</source>
        <translation>Escrita por</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="161"/>
        <source>On erasure</source>
        <translation>Al suprimir</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="167"/>
        <location filename="../../app/ui/compliance/dialog.py" line="237"/>
        <source>Where the subject is: select a request and “Find”.</source>
        <translation>Dónde está el interesado: seleccione una solicitud y «Buscar».</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="196"/>
        <source>anonymise</source>
        <translation>anonimizar</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="196"/>
        <source>delete</source>
        <translation>borrar</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="272"/>
        <source>Registering…</source>
        <translation>Registrando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="276"/>
        <source>Request #%1 registered, due %2.</source>
        <translation>Solicitud n.º %1 registrada, vence el %2.</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="287"/>
        <source>Looking for the subject in every table the project writes…</source>
        <translation>Buscando al interesado en todas las tablas que escribe el proyecto…</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="295"/>
        <source>Request #%1: %2 row(s) in %3 table(s).</source>
        <translation>Solicitud n.º %1: %2 fila(s) en %3 tabla(s).</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="310"/>
        <source>Exporting…</source>
        <translation>Exportando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="314"/>
        <source>%1 row(s) of %2 table(s) written to %3</source>
        <translation>%1 fila(s) de %2 tabla(s) escritas en %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="324"/>
        <source>Export the subject&apos;s data</source>
        <translation>Exportar los datos del interesado</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="325"/>
        <source>request-%1.zip</source>
        <translation>solicitud-%1.zip</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="326"/>
        <source>Zip archives (*.zip)</source>
        <translation>Archivos zip (*.zip)</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="339"/>
        <source>Erase the subject of request #%1 from %2 row(s) in %3 table(s)? This cannot be undone; later syncs and runs will leave them out.</source>
        <translation>¿Suprimir al interesado de la solicitud n.º %1 de %2 fila(s) en %3 tabla(s)? No se puede deshacer; las sincronizaciones y ejecuciones posteriores lo dejarán fuera.</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="346"/>
        <source>Erase the subject of request #%1 from every table the project writes? This cannot be undone; later syncs and runs will leave them out.</source>
        <translation>¿Suprimir al interesado de la solicitud n.º %1 de todas las tablas que escribe el proyecto? No se puede deshacer; las sincronizaciones y ejecuciones posteriores lo dejarán fuera.</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="353"/>
        <source>Erasing…</source>
        <translation>Suprimiendo…</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="359"/>
        <source>Erase the subject</source>
        <translation>Suprimir al interesado</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="369"/>
        <source>Request #%1 done: %2 row(s) erased; nothing of the subject is left.</source>
        <translation>Solicitud n.º %1 atendida: %2 fila(s) suprimida(s); no queda nada del interesado.</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="375"/>
        <source>Request #%1 is not finished: %2</source>
        <translation>La solicitud n.º %1 no ha terminado: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="382"/>
        <source>Still found after the erasure:</source>
        <translation>Aún se encuentra tras la supresión:</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="384"/>
        <source>Searched again after the erasure: nothing of the subject is found.</source>
        <translation>Buscado de nuevo tras la supresión: no se encuentra nada del interesado.</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="392"/>
        <source>Close the request</source>
        <translation>Cerrar la solicitud</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="392"/>
        <source>What was done (kept in the audit):</source>
        <translation>Qué se hizo (queda en la auditoría):</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="399"/>
        <source>Request #%1 done.</source>
        <translation>Solicitud n.º %1 atendida.</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="408"/>
        <source>%1 audit entries, all signatures valid.</source>
        <translation>%1 entradas de auditoría, todas las firmas son válidas.</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/dialog.py" line="414"/>
        <source>The audit does not verify: %1</source>
        <translation>La auditoría no se verifica: %1</translation>
    </message>
</context>
<context>
    <name>Components</name>
    <message>
        <location filename="../../app/ui/component_texts.py" line="45"/>
        <source>Sources</source>
        <extracomment>categories, then each built-in component&apos;s label and description, as the registry has them</extracomment>
        <translation>Orígenes</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="46"/>
        <source>Transform</source>
        <translation>Transformación</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="47"/>
        <source>Destinations</source>
        <translation>Destinos</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="48"/>
        <source>Aggregate</source>
        <translation>Agregación</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="49"/>
        <source>Groups rows and computes measures per group.</source>
        <translation>Agrupa filas y calcula medidas por grupo.</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="50"/>
        <source>Custom SQL</source>
        <translation>SQL personalizado</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="51"/>
        <source>Runs a SELECT written by hand over the inputs.</source>
        <translation>Ejecuta sobre las entradas una SELECT escrita a mano.</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="52"/>
        <source>Remove duplicates</source>
        <translation>Quitar duplicados</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="53"/>
        <source>Keeps one row per key: the first or the last by an order.</source>
        <translation>Conserva una fila por clave: la primera o la última según un orden.</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="56"/>
        <source>Derived column</source>
        <translation>Columna derivada</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="57"/>
        <source>Computes new columns from SQL expressions; a name that exists is replaced.</source>
        <translation>Calcula columnas nuevas a partir de expresiones SQL; si el nombre ya existe, la columna se sustituye.</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="61"/>
        <source>Table destination</source>
        <translation>Destino de tabla</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="62"/>
        <source>Writes rows to a table: append, replace atomically, or merge on keys.</source>
        <translation>Escribe filas en una tabla: añadir, reemplazar de forma atómica o combinar por claves.</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="65"/>
        <source>File source</source>
        <translation>Origen de archivo</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="66"/>
        <source>Reads a CSV or Parquet file.</source>
        <translation>Lee un archivo CSV o Parquet.</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="67"/>
        <source>Filter</source>
        <translation>Filtro</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="68"/>
        <source>Keeps the rows that match a condition.</source>
        <translation>Conserva las filas que cumplen una condición.</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="69"/>
        <source>Join</source>
        <translation>Combinación (join)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="70"/>
        <source>Combines two inputs on key columns and/or a condition.</source>
        <translation>Combina dos entradas por columnas clave y/o una condición.</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="71"/>
        <source>Lookup</source>
        <translation>Búsqueda (lookup)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="72"/>
        <source>Adds columns from a lookup table, matched on keys.</source>
        <translation>Añade columnas de una tabla de búsqueda, emparejadas por claves.</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="73"/>
        <source>Select columns</source>
        <translation>Seleccionar columnas</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="74"/>
        <source>Keeps, drops, renames, casts and reorders columns.</source>
        <translation>Conserva, elimina, renombra, convierte y reordena columnas.</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="75"/>
        <source>Sort</source>
        <translation>Ordenación</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="76"/>
        <source>Orders the rows by columns; optionally keeps only the first N (top-N).</source>
        <translation>Ordena las filas por columnas; opcionalmente conserva solo las N primeras (top-N).</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="79"/>
        <source>Table source</source>
        <translation>Origen de tabla</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="80"/>
        <source>Reads a table or a SQL query&apos;s result from a connection.</source>
        <translation>Lee una tabla o el resultado de una consulta SQL desde una conexión.</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="81"/>
        <source>Union</source>
        <translation>Unión</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="82"/>
        <source>Stacks the rows of several inputs, matching columns by name.</source>
        <translation>Apila las filas de varias entradas, emparejando las columnas por nombre.</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="85"/>
        <source>Privacy</source>
        <translation>Privacidad</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="86"/>
        <source>Mask</source>
        <translation>Enmascarar</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="87"/>
        <source>Masks personal columns (by name or tag): redact, keep the last characters, keyed hash, generalise, null, shuffle, format-preserving tokenization (FF3-1) or vault tokens.</source>
        <translation>Enmascara columnas personales (por nombre o etiqueta): ocultar, conservar los últimos caracteres, hash con clave, generalizar, nulo, barajar, tokenización que conserva el formato (FF3-1) o tokens de bóveda.</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="93"/>
        <source>Window functions</source>
        <translation>Funciones de ventana</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="94"/>
        <source>Adds row numbers, ranks, previous/next values and running totals.</source>
        <translation>Añade números de fila, rangos, valores anterior/siguiente y totales acumulados.</translation>
    </message>
</context>
<context>
    <name>ConnectionForm</name>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="18"/>
        <source>Path</source>
        <translation>Ruta</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="19"/>
        <source>Host</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="20"/>
        <source>Port</source>
        <translation>Puerto</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="21"/>
        <source>Database</source>
        <translation>Base de datos</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="22"/>
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="23"/>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="24"/>
        <source>SSL mode</source>
        <translation>Modo SSL</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="25"/>
        <source>Encryption (TLS): disable, allow, prefer, require (encrypted or refused), verify-ca (and a trusted certificate), verify-full (and the host&apos;s name in it).</source>
        <translation>Cifrado (TLS): disable, allow, prefer, require (cifrada o rechazada), verify-ca (y un certificado de confianza), verify-full (y el nombre del host en él).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="30"/>
        <source>SSL root certificates</source>
        <translation>Certificados raíz SSL</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="31"/>
        <source>Encrypted</source>
        <translation>Cifrado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="32"/>
        <source>Keep the file encrypted (DuckDB&apos;s AES-GCM); its key is the secret encryption_key.</source>
        <translation>Mantener el archivo cifrado (AES-GCM de DuckDB); su clave es el secreto encryption_key.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="36"/>
        <source>Encryption key</source>
        <translation>Clave de cifrado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="37"/>
        <source>Key of the encrypted database file (kept in the secret store).</source>
        <translation>Clave del archivo de base de datos cifrado (se guarda en el almacén de secretos).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="129"/>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="130"/>
        <source>Host name, e.g. myserver.database.windows.net (or host\instance for a named instance).</source>
        <translation>Nombre del host, p. ej. myserver.database.windows.net (o host\instancia para una instancia con nombre).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="134"/>
        <source>Authentication</source>
        <translation>Autenticación</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="135"/>
        <source>sql, entra_password, service_principal, managed_identity or interactive.</source>
        <translation>sql, entra_password, service_principal, managed_identity o interactive.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="139"/>
        <source>Login or Entra user name (UPN).</source>
        <translation>Inicio de sesión o nombre de usuario de Entra (UPN).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="140"/>
        <source>Client ID</source>
        <translation>ID de cliente</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="141"/>
        <source>Application (client) id: service principal, or a user-assigned managed identity.</source>
        <translation>ID de la aplicación (cliente): entidad de servicio, o identidad administrada asignada por el usuario.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="145"/>
        <source>Password or client secret (kept in the secret store).</source>
        <translation>Contraseña o secreto de cliente (se guarda en el almacén de secretos).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="146"/>
        <source>Driver</source>
        <translation>Controlador</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="147"/>
        <source>ODBC driver name as installed.</source>
        <translation>Nombre del controlador ODBC tal como está instalado.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="148"/>
        <source>Encrypt</source>
        <translation>Cifrar</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="149"/>
        <source>Trust server certificate</source>
        <translation>Confiar en el certificado del servidor</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="150"/>
        <source>Host name in certificate</source>
        <translation>Nombre de host en el certificado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="151"/>
        <source>Query timeout</source>
        <translation>Tiempo máximo de consulta</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="152"/>
        <source>Seconds a statement may run (0: no limit).</source>
        <translation>Segundos que puede durar una sentencia (0: sin límite).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="153"/>
        <source>Shown in sys.dm_exec_sessions.</source>
        <translation>Se muestra en sys.dm_exec_sessions.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="154"/>
        <source>Application intent</source>
        <translation>Intención de la aplicación</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="155"/>
        <source>Retry attempts</source>
        <translation>Intentos</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="156"/>
        <source>Tries on Azure&apos;s transient errors (1: no retry).</source>
        <translation>Intentos ante errores transitorios de Azure (1: sin reintentos).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="157"/>
        <source>Retry backoff</source>
        <translation>Espera entre intentos</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="158"/>
        <source>First delay between tries, doubled each time (s).</source>
        <translation>Primera espera entre intentos, que se duplica cada vez (s).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="159"/>
        <source>Azure subscription ID</source>
        <translation>ID de suscripción de Azure</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="160"/>
        <source>For the firewall helper: the server&apos;s subscription.</source>
        <translation>Para el asistente de firewall: la suscripción del servidor.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="161"/>
        <source>Azure resource group</source>
        <translation>Grupo de recursos de Azure</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="162"/>
        <source>For the firewall helper: the server&apos;s resource group.</source>
        <translation>Para el asistente de firewall: el grupo de recursos del servidor.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="163"/>
        <source>Database (schema) name.</source>
        <translation>Nombre de la base de datos (esquema).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="164"/>
        <source>disabled, required (encrypted, certificate not checked), verify_ca, verify_identity.</source>
        <translation>disabled, required (cifrada, sin comprobar el certificado), verify_ca, verify_identity.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="168"/>
        <source>SSL CA file</source>
        <translation>Archivo de CA SSL</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="169"/>
        <source>CA certificate file (PEM).</source>
        <translation>Archivo del certificado de la CA (PEM).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="170"/>
        <source>SSL client certificate</source>
        <translation>Certificado de cliente SSL</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="171"/>
        <source>Client certificate file (PEM).</source>
        <translation>Archivo del certificado de cliente (PEM).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="172"/>
        <source>SSL client key</source>
        <translation>Clave de cliente SSL</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="173"/>
        <source>Client private key file (PEM).</source>
        <translation>Archivo de la clave privada del cliente (PEM).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="174"/>
        <source>Read timeout</source>
        <translation>Tiempo máximo de lectura</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="175"/>
        <source>Seconds to wait for each read (none: no limit).</source>
        <translation>Segundos de espera por cada lectura (vacío: sin límite).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="176"/>
        <source>Booleans</source>
        <translation>Booleanos</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="177"/>
        <source>Integer columns (`column` or `table.column`, e.g. tinyint(1) flags) to read as booleans; a value other than 0 or 1 in them is refused. Other integer columns stay integers. The default for every sync and pipeline reading this connection; a sync adds its own columns (source.read.booleans).</source>
        <translation>Columnas enteras (`column` o `table.column`, p. ej. indicadores tinyint(1)) que se leen como booleanos; en ellas se rechaza un valor distinto de 0 o 1. Las demás columnas enteras siguen siendo enteras. Es el valor por defecto de cada sincronización y pipeline que lee esta conexión; una sincronización añade sus propias columnas (source.read.booleans).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="181"/>
        <source>Certificate authorities (PEM file) verify-ca and verify-full trust; &apos;system&apos; for the system&apos;s. Default: ~/.postgresql/root.crt.</source>
        <translation>Autoridades de certificación (archivo PEM) en las que confían verify-ca y verify-full; &apos;system&apos; para las del sistema. Por defecto: ~/.postgresql/root.crt.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="40"/>
        <source>With ssl: check the certificate (verify-ca), and the host&apos;s name in it (verify-full).</source>
        <translation>Con ssl: comprobar el certificado (verify-ca) y el nombre del host en él (verify-full).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="44"/>
        <source>Connect timeout</source>
        <translation>Tiempo de espera</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="45"/>
        <source>Application name</source>
        <translation>Nombre de la aplicación</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="46"/>
        <source>Format</source>
        <translation>Formato</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="47"/>
        <source>Delimiter</source>
        <translation>Delimitador</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="48"/>
        <source>Header</source>
        <translation>Encabezado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="49"/>
        <source>Database file: relative to the working directory; ${PROJECT_DIR}/… for one in the project.</source>
        <translation>Archivo de base de datos: relativo al directorio de trabajo; ${PROJECT_DIR}/… para uno del proyecto.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="53"/>
        <source>Database file (relative to the working directory; ${PROJECT_DIR}/… for one in the project) or &apos;:memory:&apos;.</source>
        <translation>Archivo de base de datos (relativo al directorio de trabajo; ${PROJECT_DIR}/… para uno del proyecto) o &apos;:memory:&apos;.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="57"/>
        <source>Directory holding the files (relative to the working directory; ${PROJECT_DIR}/… for one in the project).</source>
        <translation>Directorio con los archivos (relativo al directorio de trabajo; ${PROJECT_DIR}/… para uno del proyecto).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="61"/>
        <source>csv or parquet; by default from each file&apos;s extension.</source>
        <translation>csv o parquet; por defecto, según la extensión de cada archivo.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="62"/>
        <source>CSV field delimiter.</source>
        <translation>Delimitador de campos CSV.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="63"/>
        <source>CSV files have a header row.</source>
        <translation>Los archivos CSV tienen una fila de encabezado.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="64"/>
        <source>Server host name or address.</source>
        <translation>Nombre o dirección del servidor.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="65"/>
        <source>Database name.</source>
        <translation>Nombre de la base de datos.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="66"/>
        <source>User name.</source>
        <translation>Nombre de usuario.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="67"/>
        <source>Password (kept in the secret store).</source>
        <translation>Contraseña (se guarda en el almacén de secretos).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="68"/>
        <source>Seconds to wait for a connection.</source>
        <translation>Segundos de espera para conectar.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="69"/>
        <source>Shown in pg_stat_activity.</source>
        <translation>Se muestra en pg_stat_activity.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="71"/>
        <source>Project</source>
        <translation>Proyecto</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="72"/>
        <source>Google Cloud project that runs the jobs.</source>
        <translation>Proyecto de Google Cloud que ejecuta los trabajos.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="73"/>
        <source>Dataset</source>
        <translation>Conjunto de datos</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="74"/>
        <source>Dataset of unqualified table names.</source>
        <translation>Conjunto de datos de las tablas nombradas sin él.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="75"/>
        <source>Location</source>
        <translation>Ubicación</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="76"/>
        <source>Where jobs run: US, EU, europe-west1…</source>
        <translation>Dónde se ejecutan los trabajos: US, EU, europe-west1…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="77"/>
        <source>Credentials</source>
        <translation>Credenciales</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="78"/>
        <source>Service-account JSON key file; empty: application-default credentials.</source>
        <translation>Archivo de clave JSON de la cuenta de servicio; vacío: las credenciales predeterminadas de la aplicación.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="81"/>
        <source>API endpoint</source>
        <translation>Punto de acceso de la API</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="82"/>
        <source>Another API endpoint (an emulator, a private endpoint).</source>
        <translation>Otro punto de acceso de la API (un emulador, un punto de acceso privado).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="83"/>
        <source>Anonymous</source>
        <translation>Anónimo</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="84"/>
        <source>No credentials: emulators only.</source>
        <translation>Sin credenciales: solo para emuladores.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="85"/>
        <source>Timeout</source>
        <translation>Tiempo de espera</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="86"/>
        <source>Seconds a request or job may take.</source>
        <translation>Segundos que puede durar una petición o un trabajo.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="87"/>
        <source>Cluster endpoint host name.</source>
        <translation>Nombre del host del punto de acceso del clúster.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="88"/>
        <source>Cluster port.</source>
        <translation>Puerto del clúster.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="89"/>
        <source>SSL</source>
        <translation>SSL</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="90"/>
        <source>Encrypt the connection.</source>
        <translation>Cifrar la conexión.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="91"/>
        <source>S3 bucket</source>
        <translation>Bucket de S3</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="92"/>
        <source>S3 bucket for COPY loads.</source>
        <translation>Bucket de S3 para las cargas con COPY.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="93"/>
        <source>S3 prefix</source>
        <translation>Prefijo de S3</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="94"/>
        <source>Key prefix of uploaded files.</source>
        <translation>Prefijo de las claves de los archivos subidos.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="95"/>
        <source>IAM role</source>
        <translation>Rol de IAM</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="96"/>
        <source>IAM role ARN COPY reads S3 with.</source>
        <translation>ARN del rol de IAM con el que COPY lee S3.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="97"/>
        <source>Region</source>
        <translation>Región</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="98"/>
        <source>The bucket&apos;s AWS region.</source>
        <translation>Región de AWS del bucket.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="99"/>
        <source>Rows per INSERT</source>
        <translation>Filas por INSERT</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="100"/>
        <source>Rows per multi-row INSERT (no bucket).</source>
        <translation>Filas por INSERT de varias filas (sin bucket).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="101"/>
        <source>Distribution style</source>
        <translation>Estilo de distribución</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="102"/>
        <source>DISTSTYLE of the tables Cauce creates.</source>
        <translation>DISTSTYLE de las tablas que crea Cauce.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="103"/>
        <source>Distribution key</source>
        <translation>Clave de distribución</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="104"/>
        <source>DISTKEY column (diststyle key).</source>
        <translation>Columna DISTKEY (diststyle key).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="105"/>
        <source>Sort keys</source>
        <translation>Claves de ordenación</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="106"/>
        <source>SORTKEY columns.</source>
        <translation>Columnas SORTKEY.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="107"/>
        <source>Account</source>
        <translation>Cuenta</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="108"/>
        <source>Account identifier, e.g. &apos;xy12345.eu-west-1&apos; or &apos;org-acct&apos;.</source>
        <translation>Identificador de la cuenta, p. ej. &apos;xy12345.eu-west-1&apos; u &apos;org-acct&apos;.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="111"/>
        <source>Database.</source>
        <translation>Base de datos.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="112"/>
        <source>Schema</source>
        <translation>Esquema</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="113"/>
        <source>Schema of unqualified table names.</source>
        <translation>Esquema de las tablas nombradas sin él.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="114"/>
        <source>Warehouse</source>
        <translation>Almacén (warehouse)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="115"/>
        <source>Virtual warehouse to run in.</source>
        <translation>Almacén virtual en el que ejecutar.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="116"/>
        <source>Role</source>
        <translation>Rol</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="117"/>
        <source>Role to use.</source>
        <translation>Rol que usar.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="118"/>
        <source>Private key</source>
        <translation>Clave privada</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="119"/>
        <source>PEM private key for key-pair authentication (kept in the secret store).</source>
        <translation>Clave privada PEM para la autenticación por par de claves (se guarda en el almacén de secretos).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="123"/>
        <source>Private key file</source>
        <translation>Archivo de clave privada</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="124"/>
        <source>PEM private key file for key-pair authentication.</source>
        <translation>Archivo de clave privada PEM para la autenticación por par de claves.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="125"/>
        <source>Private key passphrase</source>
        <translation>Frase de paso de la clave privada</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="126"/>
        <source>Passphrase of an encrypted private key.</source>
        <translation>Frase de paso de una clave privada cifrada.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="127"/>
        <source>Login timeout</source>
        <translation>Tiempo de espera del inicio de sesión</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="128"/>
        <source>Seconds to wait for a login.</source>
        <translation>Segundos de espera para iniciar sesión.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="185"/>
        <source>Coerce</source>
        <translation>Convertir</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_texts.py" line="186"/>
        <source>Columns (`column` or `table.column`) whose values are converted to the declared type even when they do not fit it exactly (a REAL in an INTEGER column is truncated, a non-UTF-8 BLOB in a TEXT column decoded with replacement characters…); other columns refuse such values. The default for every sync and pipeline reading this connection; a sync adds its own columns (source.read.coerce).</source>
        <translation>Columnas (`column` o `table.column`) cuyos valores se convierten al tipo declarado aunque no encajen exactamente en él (un REAL en una columna INTEGER se trunca, un BLOB no UTF-8 en una columna TEXT se decodifica con caracteres de reemplazo…); las demás columnas rechazan esos valores. Es el valor por defecto de cada sincronización y pipeline que lee esta conexión; una sincronización añade sus propias columnas (source.read.coerce).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="106"/>
        <source>(automatic)</source>
        <extracomment>fields naming a file (or the files connector&apos;s directory): a Browse… button beside them</extracomment>
        <translation>(automático)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="114"/>
        <source>(none)</source>
        <translation>(ninguno)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="133"/>
        <source>comma-separated, e.g. a, b</source>
        <translation>separadas por comas, p. ej. a, b</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="149"/>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="234"/>
        <source>Stored; leave empty to keep it</source>
        <translation>Guardada; déjela vacía para conservarla</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="236"/>
        <source>Goes to the secret store</source>
        <translation>Se guarda en el almacén de secretos</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="240"/>
        <source>Required</source>
        <translation>Obligatorio</translation>
    </message>
</context>
<context>
    <name>ConnectionsDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="121"/>
        <source>Connections — %1</source>
        <extracomment>secret values typed in this session, by field (saved to the store on OK) the connection existed when the dialog opened (its secrets may be stored already) a test finished: (connection name, succeeded, message shown) asked before Test connection contacts anything (False: the user declined)</extracomment>
        <translation>Conexiones — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="134"/>
        <source>Add a connection</source>
        <translation>Añadir una conexión</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="135"/>
        <source>Duplicate</source>
        <translation>Duplicar</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="136"/>
        <source>Delete</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="144"/>
        <source>Connections</source>
        <translation>Conexiones</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="156"/>
        <source>What this connection is for</source>
        <translation>Para qué sirve esta conexión</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="158"/>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="159"/>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="160"/>
        <source>Description</source>
        <translation>Descripción</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="168"/>
        <source>Settings</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="171"/>
        <source>Test connection</source>
        <translation>Probar conexión</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="200"/>
        <source>No connection yet. Add one with +.</source>
        <translation>Aún no hay conexiones. Añada una con +.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="309"/>
        <source>A connection needs a name.</source>
        <translation>Una conexión necesita un nombre.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="311"/>
        <source>There is already a connection named “%1”.</source>
        <translation>Ya existe una conexión llamada «%1».</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="325"/>
        <source>new connection</source>
        <translation>nueva conexión</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="334"/>
        <source>%1 copy</source>
        <translation>%1 copia</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="371"/>
        <source>Testing “%1”…</source>
        <translation>Probando «%1»…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="402"/>
        <source>Connection “%1” works.</source>
        <translation>La conexión «%1» funciona.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="431"/>
        <source>“%1” needs: %2</source>
        <translation>A «%1» le falta: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="462"/>
        <source>The password could not be saved, so nothing was saved yet.

Cauce keeps secrets in the operating system&apos;s keyring. Where there is none (servers, some Linux desktops), set the environment variable CAUCE_MASTER_KEY to a passphrase before starting Cauce: secrets are then kept encrypted in Cauce&apos;s data folder. A secret can also be given at run time in an environment variable CAUCE_SECRET_&lt;CONNECTION&gt;_&lt;FIELD&gt;.</source>
        <translation>No se pudo guardar la contraseña, así que todavía no se ha guardado nada.

Cauce guarda los secretos en el llavero del sistema operativo. Donde no lo hay (servidores, algunos escritorios Linux), defina la variable de entorno CAUCE_MASTER_KEY con una frase de contraseña antes de iniciar Cauce: los secretos se guardan entonces cifrados en la carpeta de datos de Cauce. Un secreto también puede darse al ejecutar, en una variable de entorno CAUCE_SECRET_&lt;CONEXIÓN&gt;_&lt;CAMPO&gt;.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="471"/>
        <source>Secret store unavailable</source>
        <translation>Almacén de secretos no disponible</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="479"/>
        <source>The password could not be saved.</source>
        <translation>No se pudo guardar la contraseña.</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <location filename="../../app/ui/monitor/charts.py" line="49"/>
        <source>Runs per day, by status</source>
        <translation>Ejecuciones por día, por estado</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/charts.py" line="50"/>
        <source>Duration of each run (s)</source>
        <translation>Duración de cada ejecución (s)</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/charts.py" line="51"/>
        <source>Rows moved per day</source>
        <translation>Filas movidas por día</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/charts.py" line="65"/>
        <source>No run in this range</source>
        <translation>No hay ejecuciones en este intervalo</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/charts.py" line="123"/>
        <source>runs, oldest first: %1 to %2</source>
        <translation>ejecuciones, de la más antigua: %1 a %2</translation>
    </message>
</context>
<context>
    <name>DecisionsMixin</name>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="42"/>
        <source>&amp;Approve…</source>
        <translation>&amp;Aprobar…</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="43"/>
        <source>Re&amp;ject…</source>
        <translation>Re&amp;chazar…</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="45"/>
        <source>Copy approve as c&amp;url</source>
        <translation>Copiar la aprobación como c&amp;url</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="46"/>
        <source>Copy reject as cu&amp;rl</source>
        <translation>Copiar el rechazo como cu&amp;rl</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="61"/>
        <source>Copied a curl command that decides change #%1 on the server.</source>
        <translation>Se copió un comando curl que decide el cambio n.º %1 en el servidor.</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="102"/>
        <source>#%1 %2: %3.</source>
        <translation>n.º %1 %2: %3.</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="108"/>
        <source>%1 is still held by %2 pending change(s).</source>
        <translation>%1 sigue retenido por %2 cambio(s) pendiente(s).</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="112"/>
        <source>The sync ran: %1, %2 rows read.</source>
        <translation>La sincronización se ejecutó: %1, %2 filas leídas.</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="137"/>
        <source>Applying the change to %1…</source>
        <translation>Aplicando el cambio a %1…</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="141"/>
        <source>Approve schema change</source>
        <translation>Aprobar el cambio de esquema</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="143"/>
        <source>Apply this change to %1: %2 %3? The rows held since it was detected arrive with the next run of %4.</source>
        <translation>¿Aplicar este cambio a %1: %2 %3? Las filas retenidas desde que se detectó llegan con la próxima ejecución de %4.</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="151"/>
        <source>Approve</source>
        <translation>Aprobar</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="152"/>
        <source>Approve and run now</source>
        <translation>Aprobar y ejecutar ahora</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="165"/>
        <source>Rejecting…</source>
        <translation>Rechazando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="169"/>
        <source>Reject schema change</source>
        <translation>Rechazar el cambio de esquema</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="171"/>
        <source>Leave %1 as it is? Discard: the sync goes on without the change (a new column left out, a type kept). Freeze: the sync refuses to write %1 while the source differs.</source>
        <translation>¿Dejar %1 como está? Descartar: la sincronización sigue sin el cambio (una columna nueva se omite, un tipo se mantiene). Congelar: la sincronización se niega a escribir %1 mientras el origen difiera.</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="176"/>
        <source>Reject and discard</source>
        <translation>Rechazar y descartar</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="177"/>
        <source>Reject and freeze</source>
        <translation>Rechazar y congelar</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="187"/>
        <source>Roll back schema change</source>
        <translation>Revertir el cambio de esquema</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="189"/>
        <source>Undo %1 in %2? It is refused, with nothing changed, when data would be lost (a column that holds values, a value the old type cannot hold).</source>
        <translation>¿Deshacer %1 en %2? Se rechaza, sin cambiar nada, si se perderían datos (una columna que tiene valores, un valor que el tipo anterior no admite).</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="196"/>
        <source>Roll back</source>
        <translation>Revertir</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/decisions.py" line="199"/>
        <source>Rolling back…</source>
        <translation>Revirtiendo…</translation>
    </message>
</context>
<context>
    <name>DestinationsPage</name>
    <message>
        <location filename="../../app/ui/syncs/destinations_page.py" line="44"/>
        <source>Destinations</source>
        <translation>Destinos</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/destinations_page.py" line="45"/>
        <source>Where the rows go. Each destination keeps its own position.</source>
        <translation>Adónde van las filas. Cada destino conserva su propia posición.</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/destinations_page.py" line="54"/>
        <source>Add</source>
        <translation>Añadir</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/destinations_page.py" line="57"/>
        <source>Connection</source>
        <translation>Conexión</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/destinations_page.py" line="61"/>
        <source>Table</source>
        <translation>Tabla</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/destinations_page.py" line="64"/>
        <source>Remove</source>
        <translation>Quitar</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/destinations_page.py" line="70"/>
        <source>keep as text</source>
        <translation>guardarlos como texto</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/destinations_page.py" line="71"/>
        <source>create the same type</source>
        <translation>crear el mismo tipo</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/destinations_page.py" line="74"/>
        <source>What a PostgreSQL enum column of the source becomes in the selected destination: text, or the same enum type (same labels, same order) created in the destination table&apos;s schema.</source>
        <translation>En qué se convierte una columna enum de PostgreSQL del origen en el destino seleccionado: texto, o el mismo tipo enum (mismas etiquetas, mismo orden) creado en el esquema de la tabla de destino.</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/destinations_page.py" line="83"/>
        <source>Enums of the selected destination:</source>
        <translation>Enums del destino seleccionado:</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/destinations_page.py" line="91"/>
        <source>This sync writes to:</source>
        <translation>Esta sincronización escribe en:</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/destinations_page.py" line="148"/>
        <source>Choose a connection and type a table name.</source>
        <translation>Elija una conexión y escriba el nombre de una tabla.</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/destinations_page.py" line="156"/>
        <source>“%1” is listed already.</source>
        <translation>“%1” ya está en la lista.</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/destinations_page.py" line="173"/>
        <source>(enums: the same type)</source>
        <translation>(enums: el mismo tipo)</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/destinations_page.py" line="204"/>
        <source>No connection of this project can be written to.</source>
        <translation>Ninguna conexión de este proyecto admite escritura.</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="48"/>
        <source>What it means, in the business&apos;s words</source>
        <translation>Qué significa, en palabras del negocio</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="52"/>
        <source>Who answers for it</source>
        <translation>Quién responde de ello</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="53"/>
        <source>&amp;Save description</source>
        <translation>&amp;Guardar descripción</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="71"/>
        <source>&amp;Description:</source>
        <translation>&amp;Descripción:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="73"/>
        <source>&amp;Owner:</source>
        <translation>&amp;Responsable:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="80"/>
        <source>Tags:</source>
        <translation>Etiquetas:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="81"/>
        <source>Glossary terms:</source>
        <translation>Términos del glosario:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="82"/>
        <source>Profile:</source>
        <translation>Perfil:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="87"/>
        <source>Lineage:</source>
        <translation>Linaje:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="95"/>
        <source>Choose a table or a column</source>
        <translation>Elija una tabla o una columna</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="127"/>
        <source>table</source>
        <translation>tabla</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="127"/>
        <source>view</source>
        <translation>vista</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/dictionary/detail.py" line="128"/>
        <source>%n column(s)</source>
        <translation>
            <numerusform>%n columna</numerusform>
            <numerusform>%n columnas</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="130"/>
        <source>about %1 rows</source>
        <translation>unas %1 filas</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="132"/>
        <source>quality score %1</source>
        <translation>puntuación de calidad %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="140"/>
        <source>profiled %1</source>
        <translation>perfilada el %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="142"/>
        <location filename="../../app/ui/dictionary/detail.py" line="168"/>
        <source>never profiled</source>
        <translation>nunca perfilada</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="161"/>
        <source>key column %1</source>
        <translation>columna %1 de la clave</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="162"/>
        <source>may be empty</source>
        <translation>puede estar vacía</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="162"/>
        <source>never empty</source>
        <translation>nunca vacía</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="172"/>
        <source>no source column</source>
        <translation>ninguna columna de origen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="175"/>
        <source>from %1 (%2)</source>
        <translation>de %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="183"/>
        <source>to %1 (%2)</source>
        <translation>a %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="191"/>
        <source>%1 rows</source>
        <translation>%1 filas</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="192"/>
        <source>%1% empty</source>
        <translation>%1 % vacías</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="195"/>
        <source>%1 distinct</source>
        <translation>%1 distintos</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="198"/>
        <source>from %1 to %2</source>
        <translation>de %1 a %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="201"/>
        <source>values hidden (tagged)</source>
        <translation>valores ocultos (etiquetada)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="205"/>
        <source>pipeline %1</source>
        <translation>canalización %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="205"/>
        <source>sync %1</source>
        <translation>sincronización %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="211"/>
        <source>read by pipeline %1 (node %2)</source>
        <translation>leída por la canalización %1 (nodo %2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="213"/>
        <source>written by pipeline %1 (node %2)</source>
        <translation>escrita por la canalización %1 (nodo %2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="216"/>
        <source>read by sync %1</source>
        <translation>leída por la sincronización %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="216"/>
        <source>written by sync %1</source>
        <translation>escrita por la sincronización %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="221"/>
        <source>Finding the lineage…</source>
        <translation>Buscando el linaje…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/detail.py" line="223"/>
        <source>No pipeline or sync reads or writes it.</source>
        <translation>Ninguna canalización ni sincronización la lee ni la escribe.</translation>
    </message>
</context>
<context>
    <name>DictionaryWindow</name>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="81"/>
        <source>Data dictionary — %1</source>
        <extracomment>where Export writes: (path, &quot;md&quot; or &quot;html&quot;), None to cancel (tests replace it)</extracomment>
        <translation>Diccionario de datos — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="91"/>
        <source>Search names, descriptions, tags and glossary terms</source>
        <translation>Buscar en nombres, descripciones, etiquetas y términos del glosario</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="96"/>
        <source>&amp;Find:</source>
        <translation>&amp;Buscar:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="98"/>
        <source>&amp;Read catalogs</source>
        <translation>&amp;Leer catálogos</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="100"/>
        <source>Read the tables and columns of every connection again (contacts them)</source>
        <translation>Leer de nuevo las tablas y columnas de cada conexión (se conecta a ellas)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="102"/>
        <source>&amp;Export…</source>
        <translation>E&amp;xportar…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="103"/>
        <source>Write the dictionary as Markdown or HTML</source>
        <translation>Escribir el diccionario en Markdown o HTML</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="118"/>
        <source>Table or column</source>
        <translation>Tabla o columna</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="118"/>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="118"/>
        <source>Description</source>
        <translation>Descripción</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="213"/>
        <source>The catalog is empty: Read catalogs reads the tables and columns of the project&apos;s connections.</source>
        <translation>El catálogo está vacío: Leer catálogos lee las tablas y columnas de las conexiones del proyecto.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="220"/>
        <source>Nothing matches “%1”.</source>
        <translation>Nada coincide con «%1».</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="247"/>
        <source>table</source>
        <translation>tabla</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="247"/>
        <source>view</source>
        <translation>vista</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="278"/>
        <source>Found in: %1</source>
        <translation>Encontrado en: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="321"/>
        <source>Not all lineage is known: %1</source>
        <translation>No se conoce todo el linaje: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="332"/>
        <source>Saved.</source>
        <translation>Guardado.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="365"/>
        <source>Reading the catalogs…</source>
        <translation>Leyendo los catálogos…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="370"/>
        <source>%1: %2 tables</source>
        <translation>%1: %2 tablas</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="389"/>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="389"/>
        <source>Web page (*.html)</source>
        <translation>Página web (*.html)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="392"/>
        <source>Export the dictionary</source>
        <translation>Exportar el diccionario</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="393"/>
        <source>%1-dictionary.html</source>
        <translation>%1-diccionario.html</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/window.py" line="416"/>
        <source>Wrote %1</source>
        <translation>Escrito %1</translation>
    </message>
</context>
<context>
    <name>DocumentMixin</name>
    <message>
        <location filename="../../app/ui/document.py" line="35"/>
        <source>Unsaved changes</source>
        <translation>Cambios sin guardar</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="36"/>
        <source>The project {0} has unsaved changes. Save them?</source>
        <translation>El proyecto {0} tiene cambios sin guardar. ¿Desea guardarlos?</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="69"/>
        <source>Open project directory</source>
        <translation>Abrir la carpeta del proyecto</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="80"/>
        <source>Cannot open project</source>
        <translation>No se puede abrir el proyecto</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="117"/>
        <source>Cannot save</source>
        <translation>No se puede guardar</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="124"/>
        <source>Saved to {0}</source>
        <translation>Guardado en {0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="131"/>
        <source>Save project to directory</source>
        <translation>Guardar el proyecto en una carpeta</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="136"/>
        <source>New pipeline</source>
        <translation>Nueva canalización</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="136"/>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="171"/>
        <source>Not available</source>
        <translation>No disponible</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="172"/>
        <source>This part of the editor ({0}) is not installed in this build.</source>
        <translation>Esta parte del editor ({0}) no está instalada en esta versión.</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="226"/>
        <source>Syncs not available</source>
        <translation>Sincronizaciones no disponibles</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="227"/>
        <source>The syncs window is not part of this build ({0}).</source>
        <translation>La ventana de sincronizaciones no forma parte de esta compilación ({0}).</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="233"/>
        <source>Save the project first</source>
        <translation>Guarde primero el proyecto</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="235"/>
        <source>Syncs live in the project directory: save the project, then open Syncs again.</source>
        <translation>Las sincronizaciones se guardan en el directorio del proyecto: guarde el proyecto y vuelva a abrir Sincronizaciones.</translation>
    </message>
</context>
<context>
    <name>EventFormatter</name>
    <message>
        <location filename="../../app/ui/syncs/events.py" line="31"/>
        <source>full</source>
        <translation>completa</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/events.py" line="32"/>
        <source>incremental</source>
        <translation>incremental</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/events.py" line="33"/>
        <source>append</source>
        <translation>añadir</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/events.py" line="34"/>
        <source>merge</source>
        <translation>combinar</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/events.py" line="35"/>
        <source>added</source>
        <translation>añadida</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/events.py" line="36"/>
        <source>widened</source>
        <translation>ampliada</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/events.py" line="37"/>
        <source>changed</source>
        <translation>modificada</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/events.py" line="38"/>
        <source>removed</source>
        <translation>eliminada</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/events.py" line="39"/>
        <source>applied</source>
        <translation>aplicada</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/events.py" line="40"/>
        <source>refused</source>
        <translation>rechazada</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/events.py" line="41"/>
        <source>discarded</source>
        <translation>descartada</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/events.py" line="42"/>
        <source>kept</source>
        <translation>conservada</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/events.py" line="43"/>
        <source>held</source>
        <translation>retenido</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/events.py" line="44"/>
        <source>renamed</source>
        <translation>renombrado</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/events.py" line="52"/>
        <source>%1 rows read in %2 s</source>
        <translation>%1 filas leídas en %2 s</translation>
    </message>
</context>
<context>
    <name>FirstStartDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="56"/>
        <source>Welcome to Cauce</source>
        <translation>Bienvenido a Cauce</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="63"/>
        <source>Cauce keeps pipelines, versions and runs in a metadata database. Choose where it lives, test it, then initialise it or restore a backup.</source>
        <extracomment>True while a test, an initialisation or a restore runs off the GUI thread</extracomment>
        <translation>Cauce guarda pipelines, versiones y ejecuciones en una base de metadatos. Elija dónde reside, pruébela y después inicialícela o restaure una copia de seguridad.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="69"/>
        <source>Metadata database</source>
        <translation>Base de metadatos</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="70"/>
        <source>A SQLite file on this computer</source>
        <translation>Un archivo SQLite en este ordenador</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="71"/>
        <source>A PostgreSQL server (for teams)</source>
        <translation>Un servidor PostgreSQL (para equipos)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="80"/>
        <source>postgresql://user@host:5432/cauce</source>
        <translation>postgresql://usuario@servidor:5432/cauce</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="83"/>
        <source>File:</source>
        <translation>Archivo:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="85"/>
        <source>URL:</source>
        <translation>URL:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="86"/>
        <source>Test</source>
        <translation>Probar</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="90"/>
        <source>Start with</source>
        <translation>Empezar con</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="91"/>
        <source>Add the Chinook example project</source>
        <translation>Añadir el proyecto de ejemplo Chinook</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="92"/>
        <source>Initialise a new database</source>
        <translation>Inicializar una base nueva</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="96"/>
        <source>backup archive (.cauce-backup)</source>
        <translation>archivo de copia de seguridad (.cauce-backup)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="97"/>
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="102"/>
        <source>passphrase of its secrets (optional)</source>
        <translation>frase de contraseña de sus secretos (opcional)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="103"/>
        <source>Restore from this backup</source>
        <translation>Restaurar desde esta copia</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="143"/>
        <source>Backup archive</source>
        <translation>Archivo de copia de seguridad</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="143"/>
        <source>Cauce backups (*.cauce-backup)</source>
        <translation>Copias de Cauce (*.cauce-backup)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="179"/>
        <source>Failed: %1</source>
        <translation>Error: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="201"/>
        <source>Enter a PostgreSQL URL first.</source>
        <translation>Introduzca antes una URL de PostgreSQL.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="211"/>
        <source>Connecting…</source>
        <translation>Conectando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="213"/>
        <source>Connected.</source>
        <translation>Conectado.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="229"/>
        <source>Initialising the metadata database…</source>
        <translation>Inicializando la base de metadatos…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="235"/>
        <source>Choose a backup archive first.</source>
        <translation>Elija antes un archivo de copia de seguridad.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/first_start.py" line="248"/>
        <source>Restoring the backup…</source>
        <translation>Restaurando la copia de seguridad…</translation>
    </message>
</context>
<context>
    <name>GlossaryWindow</name>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="78"/>
        <source>Business glossary — %1</source>
        <extracomment>the CSV file Import reads, None to cancel (tests replace it) whether to remove the term named (tests replace it)</extracomment>
        <translation>Glosario de negocio — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="88"/>
        <source>&amp;New term</source>
        <translation>&amp;Nuevo término</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="89"/>
        <source>Re&amp;move</source>
        <translation>&amp;Quitar</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="90"/>
        <source>&amp;Import CSV…</source>
        <translation>&amp;Importar CSV…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="93"/>
        <source>Columns: name, definition, synonyms, owner, status, links; several synonyms or links separated by |</source>
        <translation>Columnas: name, definition, synonyms, owner, status, links; varios sinónimos o enlaces separados por |</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="101"/>
        <source>No term yet: add one with New term, or Import CSV.</source>
        <translation>Aún no hay términos: añada uno con Nuevo término, o Importar CSV.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="112"/>
        <source>Draft</source>
        <translation>Borrador</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="113"/>
        <source>Approved</source>
        <translation>Aprobado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="121"/>
        <source>Other words for it, separated by commas</source>
        <translation>Otras palabras para lo mismo, separadas por comas</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="130"/>
        <source>connection.table.column</source>
        <translation>conexión.tabla.columna</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="131"/>
        <source>&amp;Link</source>
        <translation>&amp;Enlazar</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="132"/>
        <source>&amp;Unlink</source>
        <translation>&amp;Desenlazar</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="133"/>
        <source>&amp;Save term</source>
        <translation>&amp;Guardar término</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="147"/>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="148"/>
        <source>S&amp;tatus:</source>
        <translation>&amp;Estado:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="149"/>
        <source>&amp;Owner:</source>
        <translation>&amp;Responsable:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="150"/>
        <source>&amp;Definition:</source>
        <translation>De&amp;finición:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="151"/>
        <source>S&amp;ynonyms:</source>
        <translation>&amp;Sinónimos:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="164"/>
        <source>Columns that carry it:</source>
        <translation>Columnas que lo llevan:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="223"/>
        <source>approved</source>
        <translation>aprobado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="223"/>
        <source>draft</source>
        <translation>borrador</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="278"/>
        <source>not in the catalog</source>
        <translation>no está en el catálogo</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="304"/>
        <source>column</source>
        <translation>columna</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="313"/>
        <source>Linked: Save stores it.</source>
        <translation>Enlazada: Guardar lo almacena.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="320"/>
        <source>Unlinked: Save stores it.</source>
        <translation>Desenlazada: Guardar lo almacena.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="339"/>
        <source>Saved %1.</source>
        <translation>Guardado %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="353"/>
        <source>Remove a term</source>
        <translation>Quitar un término</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="354"/>
        <source>Remove the term “%1”, its synonyms and links?</source>
        <translation>¿Quitar el término «%1», sus sinónimos y enlaces?</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="365"/>
        <source>Removed %1.</source>
        <translation>Quitado %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="379"/>
        <source>Import glossary terms</source>
        <translation>Importar términos del glosario</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/glossary.py" line="379"/>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
</context>
<context>
    <name>HistoryController</name>
    <message>
        <location filename="../../app/ui/history_controller.py" line="38"/>
        <source>History</source>
        <translation>Historial</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_controller.py" line="62"/>
        <source>Comparing…</source>
        <translation>Comparando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_controller.py" line="95"/>
        <source>Save the project to a folder first.</source>
        <translation>Guarde antes el proyecto en una carpeta.</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_controller.py" line="100"/>
        <source>Rolling back…</source>
        <translation>Revirtiendo…</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_controller.py" line="109"/>
        <source>Rolled back to v{0}, saved as a new version.</source>
        <translation>Revertido a la v{0}, guardado como una versión nueva.</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_controller.py" line="120"/>
        <source>Tagging…</source>
        <translation>Etiquetando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_controller.py" line="129"/>
        <source>Tagged {0} versions as {1}.</source>
        <translation>{0} versiones etiquetadas como {1}.</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <location filename="../../app/ui/panels/history.py" line="83"/>
        <source>Filter by message or author</source>
        <translation>Filtrar por mensaje o autor</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/history.py" line="84"/>
        <source>Show layout-only changes</source>
        <translation>Mostrar cambios solo de disposición</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/history.py" line="85"/>
        <source>Compare with canvas</source>
        <translation>Comparar con el lienzo</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/history.py" line="86"/>
        <source>Roll back…</source>
        <translation>Revertir…</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/history.py" line="87"/>
        <source>Tag</source>
        <translation>Etiquetar</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/history.py" line="88"/>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/history.py" line="89"/>
        <source>Tag name</source>
        <translation>Nombre de la etiqueta</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/history.py" line="90"/>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/history.py" line="118"/>
        <source>(layout only)</source>
        <translation>(solo disposición)</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/history.py" line="123"/>
        <source>No saved versions yet: save the project.</source>
        <translation>Aún no hay versiones guardadas: guarde el proyecto.</translation>
    </message>
</context>
<context>
    <name>ImportPreviewDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="195"/>
        <source>Import %1</source>
        <translation>Importar %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="198"/>
        <source>It replaces the project in %1.</source>
        <translation>Sustituye al proyecto de %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="200"/>
        <source>It creates %1.</source>
        <translation>Crea %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="203"/>
        <source>Importing project “%1”.</source>
        <translation>Importación del proyecto «%1».</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="207"/>
        <source>Item</source>
        <translation>Elemento</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="207"/>
        <source>Change</source>
        <translation>Cambio</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="207"/>
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="221"/>
        <source>Nothing to import: the project is already up to date.</source>
        <translation>Nada que importar: el proyecto ya está al día.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="225"/>
        <source>Once imported, this project would:</source>
        <translation>Una vez importado, este proyecto haría lo siguiente:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="231"/>
        <source>I trust this project: let it run on this machine</source>
        <translation>Confío en este proyecto: puede ejecutarse en esta máquina</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="233"/>
        <source>Without this, the project is imported but asks again before it runs.</source>
        <translation>Sin esto, el proyecto se importa pero vuelve a preguntar antes de ejecutarse.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="237"/>
        <source>Import</source>
        <translation>Importar</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="272"/>
        <source>kept</source>
        <translation>se conserva</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="272"/>
        <source>not part of the project; left as it is</source>
        <translation>no forma parte del proyecto; se deja como está</translation>
    </message>
</context>
<context>
    <name>LineageDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/lineage.py" line="53"/>
        <source>Lineage of {0}</source>
        <extracomment>a row was double-clicked: select this node on the canvas the trace arrived (or failed) and is shown</extracomment>
        <translation>Linaje de {0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/lineage.py" line="55"/>
        <source>Tracing {0} of {1}…</source>
        <translation>Rastreando {0} de {1}…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/lineage.py" line="59"/>
        <source>Node</source>
        <translation>Nodo</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/lineage.py" line="59"/>
        <source>Column</source>
        <translation>Columna</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/lineage.py" line="59"/>
        <source>Computed as</source>
        <translation>Calculada como</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/lineage.py" line="79"/>
        <source>{0} of {1} comes from: {2}</source>
        <translation>{0} de {1} viene de: {2}</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/lineage.py" line="80"/>
        <source>no source column</source>
        <translation>ninguna columna de origen</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/lineage.py" line="87"/>
        <source>reads {0}</source>
        <translation>lee {0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/lineage.py" line="89"/>
        <source>{0} (not traced further)</source>
        <translation>{0} (no se rastrea más)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/lineage.py" line="113"/>
        <source>Cannot trace this column: {0}</source>
        <translation>No se puede rastrear esta columna: {0}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/window_layout.py" line="133"/>
        <source>Components</source>
        <translation>Componentes</translation>
    </message>
    <message>
        <location filename="../../app/ui/window_layout.py" line="136"/>
        <source>Project</source>
        <translation>Proyecto</translation>
    </message>
    <message>
        <location filename="../../app/ui/window_layout.py" line="140"/>
        <source>Properties</source>
        <translation>Propiedades</translation>
    </message>
    <message>
        <location filename="../../app/ui/window_layout.py" line="143"/>
        <source>Schema</source>
        <translation>Esquema</translation>
    </message>
    <message>
        <location filename="../../app/ui/window_layout.py" line="147"/>
        <source>SQL</source>
        <translation>SQL</translation>
    </message>
    <message>
        <location filename="../../app/ui/window_layout.py" line="151"/>
        <source>Data preview</source>
        <translation>Vista previa de datos</translation>
    </message>
    <message>
        <location filename="../../app/ui/window_layout.py" line="157"/>
        <source>Run console</source>
        <translation>Consola de ejecución</translation>
    </message>
    <message>
        <location filename="../../app/ui/window_layout.py" line="160"/>
        <source>Problems</source>
        <translation>Problemas</translation>
    </message>
    <message>
        <location filename="../../app/ui/window_layout.py" line="164"/>
        <source>History</source>
        <translation>Historial</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="131"/>
        <source>Check failed: {0}</source>
        <extracomment>the metadata DB and secret store every use case of this window works in</extracomment>
        <translation>La comprobación falló: {0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="152"/>
        <source>{0} {1}</source>
        <comment>Undo/Redo action: the verb, then the command</comment>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="181"/>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="183"/>
        <source>&amp;New</source>
        <translation>&amp;Nuevo</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="186"/>
        <source>&amp;Open…</source>
        <translation>&amp;Abrir…</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="188"/>
        <source>Open &amp;Recent</source>
        <translation>Abrir &amp;reciente</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="190"/>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="192"/>
        <source>Save &amp;As…</source>
        <translation>Guardar c&amp;omo…</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="198"/>
        <source>&amp;Close project</source>
        <translation>Cerrar pro&amp;yecto</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="205"/>
        <source>New &amp;Pipeline</source>
        <translation>Nueva &amp;canalización</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="209"/>
        <source>&amp;Export bundle…</source>
        <translation>&amp;Exportar paquete…</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="214"/>
        <source>&amp;Import bundle…</source>
        <translation>&amp;Importar paquete…</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="218"/>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="220"/>
        <source>&amp;Edit</source>
        <translation>&amp;Edición</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="223"/>
        <source>&amp;Undo</source>
        <translation>&amp;Deshacer</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="224"/>
        <source>&amp;Redo</source>
        <translation>&amp;Rehacer</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="229"/>
        <source>Cu&amp;t</source>
        <translation>Cort&amp;ar</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="232"/>
        <source>&amp;Copy</source>
        <translation>&amp;Copiar</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="235"/>
        <source>&amp;Paste</source>
        <translation>&amp;Pegar</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="241"/>
        <source>D&amp;uplicate</source>
        <translation>D&amp;uplicar</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="248"/>
        <source>&amp;Delete</source>
        <translation>&amp;Eliminar</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="255"/>
        <source>Select &amp;All</source>
        <translation>Seleccionar &amp;todo</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="261"/>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="266"/>
        <source>Zoom to &amp;Fit</source>
        <translation>&amp;Ajustar a la ventana</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="275"/>
        <source>&amp;Auto-layout</source>
        <translation>&amp;Organizar automáticamente</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="283"/>
        <source>&amp;Minimap</source>
        <translation>&amp;Minimapa</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="291"/>
        <source>&amp;SQL view</source>
        <translation>Vista &amp;SQL</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="301"/>
        <location filename="../../app/ui/actions.py" line="302"/>
        <source>&amp;Run</source>
        <translation>&amp;Ejecutar</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="307"/>
        <source>Run &amp;selected</source>
        <translation>Ejecutar la &amp;selección</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="316"/>
        <source>Run up to &amp;here</source>
        <translation>Ejecutar &amp;hasta aquí</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="324"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Cancelar</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="330"/>
        <source>&amp;Preview selected node</source>
        <translation>&amp;Vista previa del nodo seleccionado</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="339"/>
        <source>Pro&amp;file output…</source>
        <translation>Per&amp;filar la salida…</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="349"/>
        <source>Copy run as c&amp;url</source>
        <translation>Copiar ejecución como c&amp;url</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="359"/>
        <source>Run everything on this &amp;computer</source>
        <translation>Ejecutar todo en este &amp;equipo</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="367"/>
        <source>Keep query &amp;plans</source>
        <translation>Guardar los &amp;planes de las consultas</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="372"/>
        <source>Show S&amp;QL</source>
        <translation>Mostrar S&amp;QL</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="375"/>
        <source>&amp;Tools</source>
        <translation>&amp;Herramientas</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="378"/>
        <source>&amp;Connections…</source>
        <translation>&amp;Conexiones…</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="381"/>
        <source>S&amp;yncs…</source>
        <translation>&amp;Sincronizaciones…</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="389"/>
        <source>&amp;Settings…</source>
        <translation>&amp;Preferencias…</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="397"/>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="402"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>Atajos de &amp;teclado</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="408"/>
        <source>&amp;About Cauce</source>
        <translation>&amp;Acerca de Cauce</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="430"/>
        <source>Copied a curl command that runs this pipeline on the server (set CAUCE_API_KEY and CAUCE_PROJECT_ID first)</source>
        <translation>Copiado un comando curl que ejecuta esta canalización en el servidor (define antes CAUCE_API_KEY y CAUCE_PROJECT_ID)</translation>
    </message>
    <message>
        <location filename="../../app/ui/actions.py" line="447"/>
        <source>Main toolbar</source>
        <translation>Barra de herramientas principal</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/menu.py" line="26"/>
        <source>&amp;Schedules…</source>
        <extracomment>(action name, menu text, shortcut, method)</extracomment>
        <translation>&amp;Programaciones…</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/menu.py" line="27"/>
        <source>Run &amp;history…</source>
        <translation>&amp;Historial de ejecuciones…</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/menu.py" line="28"/>
        <source>&amp;Dashboard…</source>
        <translation>Panel de &amp;control…</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/menu.py" line="31"/>
        <source>&amp;Query analytics…</source>
        <translation>Análisis de &amp;consultas…</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/menu.py" line="35"/>
        <source>&amp;Alerts…</source>
        <translation>&amp;Alertas…</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/menu.py" line="38"/>
        <source>Schema chan&amp;ges…</source>
        <translation>Cambios de &amp;esquema…</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/menu.py" line="44"/>
        <source>Notification &amp;channels…</source>
        <translation>&amp;Canales de notificación…</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/menu.py" line="55"/>
        <source>&amp;Monitor</source>
        <translation>&amp;Supervisión</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/menu.py" line="28"/>
        <source>C&amp;ompliance (GDPR)…</source>
        <extracomment>the action&apos;s name in ``MainWindow.actions_by_name``</extracomment>
        <translation>C&amp;umplimiento (RGPD)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/menu.py" line="43"/>
        <location filename="../../app/ui/monitor/menu.py" line="98"/>
        <location filename="../../app/ui/retention/menu.py" line="39"/>
        <source>Save the project first</source>
        <translation>Guarde primero el proyecto</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/menu.py" line="44"/>
        <source>Data-subject requests search a saved project&apos;s pipelines and syncs: save it first.</source>
        <translation>Las solicitudes de interesados buscan en las canalizaciones y sincronizaciones de un proyecto guardado: guárdelo primero.</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/menu.py" line="99"/>
        <source>Schedules and channels are files of the project: save it first.</source>
        <translation>Las programaciones y los canales son archivos del proyecto: guárdelo primero.</translation>
    </message>
    <message>
        <location filename="../../app/ui/execution.py" line="27"/>
        <source>Run every node of this pipeline on this computer (the local engine), never in the databases; saved with the pipeline</source>
        <extracomment>the action&apos;s name in ``MainWindow.actions_by_name``</extracomment>
        <translation>Ejecutar todos los nodos de esta canalización en este equipo (el motor local), nunca en las bases de datos; se guarda con la canalización</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/menu.py" line="25"/>
        <source>&amp;Retention…</source>
        <extracomment>the action&apos;s name in ``MainWindow.actions_by_name``</extracomment>
        <translation>&amp;Retención…</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/menu.py" line="40"/>
        <source>Retention policies belong to a saved project: save it first.</source>
        <translation>Las políticas de retención pertenecen a un proyecto guardado: guárdelo primero.</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/opening.py" line="27"/>
        <source>Keep the plan of every statement of the next runs (Monitor &gt; Query analytics shows them); without it, a plan is kept only for a node slower than its recent runs</source>
        <extracomment>the Run menu&apos;s action, in ``MainWindow.actions_by_name``</extracomment>
        <translation>Guarda el plan de cada sentencia de las próximas ejecuciones (Supervisión &gt; Análisis de consultas los muestra); sin esto, solo se guarda el plan de un nodo más lento que en sus ejecuciones recientes</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/menu.py" line="22"/>
        <source>Data &amp;dictionary…</source>
        <extracomment>(action name, menu text, shortcut)</extracomment>
        <translation>&amp;Diccionario de datos…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dictionary/menu.py" line="23"/>
        <source>Business &amp;glossary…</source>
        <translation>&amp;Glosario de negocio…</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/menu.py" line="25"/>
        <source>Column &amp;tags…</source>
        <extracomment>the action&apos;s name in ``MainWindow.actions_by_name``, and its shortcut</extracomment>
        <translation>&amp;Etiquetas de columnas…</translation>
    </message>
</context>
<context>
    <name>MasksEditor</name>
    <message>
        <location filename="../../app/ui/syncs/masks.py" line="34"/>
        <source>Masks (applied before rows reach the destinations)</source>
        <translation>Máscaras (aplicadas antes de que las filas lleguen a los destinos)</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/masks.py" line="37"/>
        <source>A column, or every column carrying a tag</source>
        <translation>Una columna, o todas las columnas con una etiqueta</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/masks.py" line="41"/>
        <source>Add mask</source>
        <translation>Añadir máscara</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/masks.py" line="46"/>
        <source>Remove mask</source>
        <translation>Quitar máscara</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/masks.py" line="50"/>
        <source>Tokenize keeps the format (FF3-1, for test copies); vault tokens can be turned back by whoever may detokenize; hash and tokenize need the project&apos;s masking key.</source>
        <translation>Tokenizar conserva el formato (FF3-1, para copias de prueba); quien pueda destokenizar puede revertir los tokens de bóveda; hash y tokenizar necesitan la clave de enmascarado del proyecto.</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/masks.py" line="71"/>
        <source>Redact</source>
        <translation>Ocultar</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/masks.py" line="72"/>
        <source>Keep the last characters</source>
        <translation>Conservar los últimos caracteres</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/masks.py" line="73"/>
        <source>Keyed hash (HMAC)</source>
        <translation>Hash con clave (HMAC)</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/masks.py" line="74"/>
        <source>Tokenize, keeping the format (FF3-1)</source>
        <translation>Tokenizar conservando el formato (FF3-1)</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/masks.py" line="75"/>
        <source>Vault token (reversible)</source>
        <translation>Token de bóveda (reversible)</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/masks.py" line="76"/>
        <source>Generalise</source>
        <translation>Generalizar</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/masks.py" line="77"/>
        <source>Null</source>
        <translation>Nulo</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/masks.py" line="87"/>
        <location filename="../../app/ui/syncs/masks.py" line="101"/>
        <source>tag %1</source>
        <translation>etiqueta %1</translation>
    </message>
</context>
<context>
    <name>Minimap</name>
    <message>
        <location filename="../../app/ui/canvas/minimap.py" line="45"/>
        <source>The whole pipeline: click or drag to move the canvas there</source>
        <translation>Toda la canalización: haga clic o arrastre para llevar el lienzo allí</translation>
    </message>
</context>
<context>
    <name>NodeStatus</name>
    <message>
        <location filename="../../app/ui/i18n.py" line="145"/>
        <source>pending</source>
        <translation>pendiente</translation>
    </message>
    <message>
        <location filename="../../app/ui/i18n.py" line="146"/>
        <source>running</source>
        <translation>en ejecución</translation>
    </message>
    <message>
        <location filename="../../app/ui/i18n.py" line="147"/>
        <source>succeeded</source>
        <translation>correcto</translation>
    </message>
    <message>
        <location filename="../../app/ui/i18n.py" line="148"/>
        <source>failed</source>
        <translation>fallido</translation>
    </message>
    <message>
        <location filename="../../app/ui/i18n.py" line="149"/>
        <source>cancelled</source>
        <translation>cancelado</translation>
    </message>
    <message>
        <location filename="../../app/ui/i18n.py" line="150"/>
        <source>skipped</source>
        <translation>omitido</translation>
    </message>
</context>
<context>
    <name>OptionsPage</name>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="54"/>
        <source>How to sync</source>
        <translation>Cómo sincronizar</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="55"/>
        <source>Choose how rows are copied and how schema changes are met.</source>
        <translation>Elija cómo se copian las filas y cómo se tratan los cambios de esquema.</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="57"/>
        <source>Full — reload the whole table every run</source>
        <translation>Completa — recargar toda la tabla en cada ejecución</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="58"/>
        <source>Append — add rows above the cursor</source>
        <translation>Añadir — agregar las filas posteriores al cursor</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="59"/>
        <source>Merge — insert or update rows by key</source>
        <translation>Combinar (fusionar) — insertar o actualizar filas por clave</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="66"/>
        <source>The columns that identify a row (merge mode)</source>
        <translation>Las columnas que identifican una fila (modo combinar)</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="69"/>
        <source>A column that grows with every new or changed row</source>
        <translation>Una columna que crece con cada fila nueva o modificada</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="70"/>
        <source>Delete destination rows whose key left the source</source>
        <translation>Eliminar del destino las filas cuya clave ya no está en el origen</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="72"/>
        <source>Evolve — add new columns, widen types</source>
        <translation>Evolucionar — añadir las columnas nuevas, ampliar los tipos</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="73"/>
        <source>Freeze — fail when the source&apos;s columns change</source>
        <translation>Congelar — fallar si cambian las columnas del origen</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="74"/>
        <source>Discard — drop new columns, keep the destination&apos;s types</source>
        <translation>Descartar — omitir las columnas nuevas, conservar los tipos del destino</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="75"/>
        <source>Review — hold each change until someone approves it</source>
        <translation>Revisar — retener cada cambio hasta que alguien lo apruebe</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="82"/>
        <source>Review: the destination waits, its rows kept in the source, until the change is approved or rejected in Monitor &gt; Schema changes</source>
        <translation>Revisar: el destino espera, con sus filas guardadas en el origen, hasta que el cambio se apruebe o rechace en Monitor &gt; Cambios de esquema</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="88"/>
        <source>Discard it — go on without the change</source>
        <translation>Descartarlo — seguir sin el cambio</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="89"/>
        <source>Freeze — keep refusing to write while the source differs</source>
        <translation>Congelar — seguir negándose a escribir mientras el origen difiera</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="97"/>
        <source>Mode</source>
        <translation>Modo</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="99"/>
        <source>Key columns</source>
        <translation>Columnas clave</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="100"/>
        <source>Cursor</source>
        <translation>Cursor</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="102"/>
        <source>Schema changes</source>
        <translation>Cambios de esquema</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="103"/>
        <source>When rejected</source>
        <translation>Si se rechaza</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="134"/>
        <source>(none)</source>
        <translation>(ninguno)</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="180"/>
        <source>Every run copies the whole source into a staging table and swaps it in.</source>
        <translation>Cada ejecución copia todo el origen en una tabla intermedia y la pone en lugar de la tabla de destino.</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="182"/>
        <source>Needs a cursor that only grows (an id or a commit time).</source>
        <translation>Requiere un cursor que solo crezca (un id o una fecha de confirmación).</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="184"/>
        <source>Needs key columns. With a cursor, only rows at or above the last value are read; without one, every row is read.</source>
        <translation>Requiere columnas clave. Con un cursor solo se leen las filas con un valor igual o superior al último; sin él se leen todas las filas.</translation>
    </message>
</context>
<context>
    <name>Palette</name>
    <message>
        <location filename="../../app/ui/panels/palette.py" line="53"/>
        <source>Search components…</source>
        <translation>Buscar componentes…</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/palette.py" line="54"/>
        <source>Add to canvas</source>
        <translation>Añadir al lienzo</translation>
    </message>
</context>
<context>
    <name>ParameterChoices</name>
    <message>
        <location filename="../../app/ui/component_texts.py" line="288"/>
        <source>append</source>
        <extracomment>fields (``&quot;&lt;component type&gt;.&lt;field&gt;&quot;``) whose choices are shown translated the choices of :data:`CHOICE_FIELDS`, and ``true``/``false`` of an optional yes/no field</extracomment>
        <translation>añadir</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="289"/>
        <source>replace</source>
        <translation>reemplazar</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="290"/>
        <source>merge</source>
        <translation>combinar</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="291"/>
        <source>first</source>
        <translation>la primera</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="292"/>
        <source>last</source>
        <translation>la última</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="293"/>
        <source>keep_null</source>
        <translation>dejar NULL</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="294"/>
        <source>default</source>
        <translation>valor por defecto</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="295"/>
        <source>fail</source>
        <translation>fallar</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="296"/>
        <source>reject</source>
        <translation>rechazar</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="297"/>
        <source>csv</source>
        <translation>CSV</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="298"/>
        <source>parquet</source>
        <translation>Parquet</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="299"/>
        <source>auto</source>
        <translation>automático</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="300"/>
        <source>true</source>
        <translation>sí</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="301"/>
        <source>false</source>
        <translation>no</translation>
    </message>
</context>
<context>
    <name>Parameters</name>
    <message>
        <location filename="../../app/ui/component_texts.py" line="104"/>
        <source>Cast</source>
        <extracomment>field labels (:func:`field_label` of each field name), then the fields&apos; descriptions</extracomment>
        <translation>Convertir</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="105"/>
        <source>Column</source>
        <translation>Columna</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="106"/>
        <source>Columns</source>
        <translation>Columnas</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="107"/>
        <source>Condition</source>
        <translation>Condición</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="108"/>
        <source>Connection</source>
        <translation>Conexión</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="109"/>
        <source>Default</source>
        <translation>Valor por defecto</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="110"/>
        <source>Delimiter</source>
        <translation>Delimitador</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="111"/>
        <source>Descending</source>
        <translation>Descendente</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="112"/>
        <source>Distinct</source>
        <translation>Sin duplicados</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="113"/>
        <source>Drop</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="114"/>
        <source>Expression</source>
        <translation>Expresión</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="115"/>
        <source>Format</source>
        <translation>Formato</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="116"/>
        <source>Function</source>
        <translation>Función</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="117"/>
        <source>Functions</source>
        <translation>Funciones</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="118"/>
        <source>Group by</source>
        <translation>Agrupar por</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="119"/>
        <source>Header</source>
        <translation>Encabezado</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="120"/>
        <source>Input</source>
        <translation>Entrada</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="121"/>
        <source>Keep</source>
        <translation>Conservar</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="122"/>
        <source>Keep rest</source>
        <translation>Conservar el resto</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="123"/>
        <source>Keys</source>
        <translation>Claves</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="124"/>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="125"/>
        <source>Left</source>
        <translation>Izquierda</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="126"/>
        <source>Limit</source>
        <translation>Límite</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="127"/>
        <source>Lookup</source>
        <translation>Búsqueda</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="128"/>
        <source>Measures</source>
        <translation>Medidas</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="129"/>
        <source>Mode</source>
        <translation>Modo</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="130"/>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="131"/>
        <source>No match</source>
        <translation>Sin coincidencia</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="132"/>
        <source>Nulls first</source>
        <translation>Nulos primero</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="133"/>
        <source>Offset</source>
        <translation>Desplazamiento</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="134"/>
        <source>Order by</source>
        <translation>Ordenar por</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="135"/>
        <source>Partition by</source>
        <translation>Particionar por</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="136"/>
        <source>Path</source>
        <translation>Ruta</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="137"/>
        <source>Query</source>
        <translation>Consulta</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="138"/>
        <source>Rename</source>
        <translation>Renombrar</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="139"/>
        <source>Right</source>
        <translation>Derecha</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="140"/>
        <source>Right suffix</source>
        <translation>Sufijo derecho</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="141"/>
        <source>SQL</source>
        <translation>SQL</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="142"/>
        <source>Separator</source>
        <translation>Separador</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="143"/>
        <source>Table</source>
        <translation>Tabla</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="144"/>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="145"/>
        <source>Method</source>
        <translation>Método</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="146"/>
        <source>Rules</source>
        <translation>Reglas</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="147"/>
        <source>Tag</source>
        <translation>Etiqueta</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="148"/>
        <source>Text</source>
        <translation>Texto</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="149"/>
        <source>Unit</source>
        <translation>Unidad</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="150"/>
        <source>Width</source>
        <translation>Anchura</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="152"/>
        <source>Masking rules, applied in order</source>
        <translation>Reglas de enmascaramiento, aplicadas en orden</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="153"/>
        <source>How to mask the values</source>
        <translation>Cómo enmascarar los valores</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="154"/>
        <source>Column to mask</source>
        <translation>Columna que enmascarar</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="155"/>
        <source>Mask every column carrying this tag</source>
        <translation>Enmascarar cada columna que lleve esta etiqueta</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="156"/>
        <source>generalise: what a date is truncated to</source>
        <translation>generalizar: a qué se trunca una fecha</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="157"/>
        <source>redact: the text shown instead</source>
        <translation>ocultar: el texto que se muestra en su lugar</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="158"/>
        <source>generalise: width of a number&apos;s range</source>
        <translation>generalizar: anchura del intervalo de un número</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="159"/>
        <source>partial: characters kept at the end</source>
        <translation>parcial: caracteres que se conservan al final</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="160"/>
        <source>A SELECT over the inputs, named by their node names or input1, input2, ... (in connection order)</source>
        <translation>Una SELECT sobre las entradas, nombradas por el nombre de su nodo o input1, input2, … (en el orden de conexión)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="165"/>
        <source>Aggregate function</source>
        <translation>Función de agregación</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="166"/>
        <source>Also output the columns not listed (after the listed ones, in input order); otherwise only the listed columns are kept</source>
        <translation>Emitir también las columnas no listadas (tras las listadas, en el orden de entrada); si no, solo se conservan las listadas</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="172"/>
        <source>Appended to a right column whose name the left input already uses</source>
        <translation>Se añade a una columna de la derecha cuyo nombre ya usa la entrada izquierda</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="175"/>
        <source>Cast the result to this type</source>
        <translation>Convertir el resultado a este tipo</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="176"/>
        <source>Column of the left input</source>
        <translation>Columna de la entrada izquierda</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="177"/>
        <source>Column of the lookup input</source>
        <translation>Columna de la entrada de búsqueda</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="178"/>
        <source>Column of the main input</source>
        <translation>Columna de la entrada principal</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="179"/>
        <source>Column of the right input</source>
        <translation>Columna de la entrada derecha</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="180"/>
        <source>Column to order by</source>
        <translation>Columna por la que ordenar</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="181"/>
        <source>Columns that identify a row</source>
        <translation>Columnas que identifican una fila</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="182"/>
        <source>Columns to add</source>
        <translation>Columnas que añadir</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="183"/>
        <source>Columns to bring</source>
        <translation>Columnas que traer</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="184"/>
        <source>Columns to leave out (with keep_rest)</source>
        <translation>Columnas que se omiten (con «Conservar el resto»)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="185"/>
        <source>Columns to order by, in priority</source>
        <translation>Columnas por las que ordenar, por orden de prioridad</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="186"/>
        <source>Columns to output first, in this order</source>
        <translation>Columnas que se emiten primero, en este orden</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="187"/>
        <source>Computed columns</source>
        <translation>Columnas calculadas</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="188"/>
        <source>Convert to this type, e.g. int64, decimal(10,2), string, date, timestamp[us]</source>
        <translation>Convertir a este tipo, p. ej. int64, decimal(10,2), string, date, timestamp[us]</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="192"/>
        <source>Declared columns (filled in from the connection when empty)</source>
        <translation>Columnas declaradas (si se deja vacío, se toman de la conexión)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="195"/>
        <source>Extra join condition over left.&lt;column&gt; and right.&lt;column&gt;, e.g. left.ordered_at &gt;= right.valid_from</source>
        <translation>Condición de combinación adicional sobre left.&lt;columna&gt; y right.&lt;columna&gt;, p. ej. left.ordered_at &gt;= right.valid_from</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="200"/>
        <source>File path or glob; relative paths resolve against the working directory, ${PROJECT_DIR} against the project</source>
        <translation>Ruta o patrón (glob) de archivos; las rutas relativas se resuelven desde el directorio de trabajo y ${PROJECT_DIR}, desde el proyecto</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="205"/>
        <source>Grouping columns (none: one row for the whole input)</source>
        <translation>Columnas de agrupación (ninguna: una sola fila para toda la entrada)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="206"/>
        <source>Input column</source>
        <translation>Columna de entrada</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="207"/>
        <source>Input column (count without a column counts rows)</source>
        <translation>Columna de entrada (count sin columna cuenta las filas)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="208"/>
        <source>Input column (lag, lead, running_sum)</source>
        <translation>Columna de entrada (lag, lead, running_sum)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="209"/>
        <source>Keep only the first N rows</source>
        <translation>Conservar solo las N primeras filas</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="210"/>
        <source>Keep the first or the last row</source>
        <translation>Conservar la primera o la última fila</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="211"/>
        <source>Key pairs (input = lookup)</source>
        <translation>Pares de claves (entrada = búsqueda)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="212"/>
        <source>Key pairs (left = right)</source>
        <translation>Pares de claves (izquierda = derecha)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="213"/>
        <source>Largest values first</source>
        <translation>Primero los valores más altos</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="214"/>
        <source>Lookup column to bring</source>
        <translation>Columna de búsqueda que traer</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="215"/>
        <source>Merge keys (mode &apos;merge&apos;)</source>
        <translation>Claves de combinación (modo «combinar»)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="216"/>
        <source>Name of the connection to read from</source>
        <translation>Nombre de la conexión de la que leer</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="217"/>
        <source>Name of the connection to write to</source>
        <translation>Nombre de la conexión en la que escribir</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="218"/>
        <source>Name of the new column</source>
        <translation>Nombre de la columna nueva</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="219"/>
        <source>New name (default: unchanged)</source>
        <translation>Nombre nuevo (por defecto: el mismo)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="220"/>
        <source>Order within a key; default: every other column, ascending</source>
        <translation>Orden dentro de cada clave; por defecto: todas las demás columnas, ascendente</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="223"/>
        <source>Output column name</source>
        <translation>Nombre de la columna de salida</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="224"/>
        <source>Output name (default: unchanged)</source>
        <translation>Nombre de salida (por defecto: el mismo)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="225"/>
        <source>Put NULLs first; by default they come last, whatever the direction (the same in every dialect)</source>
        <translation>Poner primero los NULL; por defecto van al final, sea cual sea la dirección (igual en todos los dialectos)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="230"/>
        <source>Remove duplicate rows (UNION instead of UNION ALL)</source>
        <translation>Quitar las filas duplicadas (UNION en lugar de UNION ALL)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="231"/>
        <source>Restart the numbering for each value of these</source>
        <translation>Reiniciar la numeración para cada valor de estas columnas</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="232"/>
        <source>Row order (required)</source>
        <translation>Orden de las filas (obligatorio)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="233"/>
        <source>Rows without a match: keep_null, default, fail (the run fails) or reject (sent to the &apos;reject&apos; port only)</source>
        <translation>Filas sin coincidencia: dejar NULL, valor por defecto, fallar (la ejecución falla) o rechazar (solo se envían al puerto &apos;reject&apos;)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="238"/>
        <source>SQL condition, e.g. Total &gt; 10 AND Country = &apos;USA&apos;</source>
        <translation>Condición SQL, p. ej. Total &gt; 10 AND Country = &apos;USA&apos;</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="239"/>
        <source>SQL expression over the input columns</source>
        <translation>Expresión SQL sobre las columnas de entrada</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="240"/>
        <source>SQL literal for rows without a match (policy &apos;default&apos;)</source>
        <translation>Literal SQL para las filas sin coincidencia (política «valor por defecto»)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="241"/>
        <source>SQL query to read, in the connection&apos;s own dialect</source>
        <translation>Consulta SQL que leer, en el dialecto propio de la conexión</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="242"/>
        <source>Table to read (schema.table)</source>
        <translation>Tabla que leer (esquema.tabla)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="243"/>
        <source>Target table (schema.table); created when missing</source>
        <translation>Tabla de destino (esquema.tabla); se crea si no existe</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="244"/>
        <source>Window function</source>
        <translation>Función de ventana</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="245"/>
        <source>inner, left, right, full (outer), semi (left rows with a match) or anti (left rows without one)</source>
        <translation>inner, left, right, full (outer), semi (filas de la izquierda con coincidencia) o anti (filas de la izquierda sin ella)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="250"/>
        <source>lag/lead: SQL literal used when there is no such row (default NULL)</source>
        <translation>lag/lead: literal SQL que se usa cuando no existe esa fila (por defecto, NULL)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="253"/>
        <source>lag/lead: how many rows back/ahead</source>
        <translation>lag/lead: cuántas filas hacia atrás o hacia adelante</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="254"/>
        <source>string_agg: order of the values (default: by value); first/last: the order that defines first and last (required)</source>
        <translation>string_agg: orden de los valores (por defecto, por valor); first/last: el orden que define el primero y el último (obligatorio)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="260"/>
        <source>string_agg: text between values</source>
        <translation>string_agg: texto entre los valores</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="262"/>
        <source>CSV: the character between values</source>
        <translation>CSV: el carácter entre valores</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="263"/>
        <source>CSV: the first line names the columns</source>
        <translation>CSV: la primera línea da nombre a las columnas</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="264"/>
        <source>Canonical type, e.g. int64, decimal(10,2), string, date, timestamp[us]</source>
        <translation>Tipo canónico, p. ej. int64, decimal(10,2), string, date, timestamp[us]</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="267"/>
        <source>Column name</source>
        <translation>Nombre de la columna</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="268"/>
        <source>Columns to compute, in order</source>
        <translation>Columnas que se calculan, en orden</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="269"/>
        <source>Declared columns (read from the file when empty)</source>
        <translation>Columnas declaradas (si se deja vacío, se leen del archivo)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="270"/>
        <source>File format; auto: Parquet for .parquet/.pq, else CSV</source>
        <translation>Formato del archivo; auto: Parquet para .parquet/.pq, si no CSV</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="271"/>
        <source>Name of the new column (an existing name is replaced)</source>
        <translation>Nombre de la columna nueva (un nombre existente se reemplaza)</translation>
    </message>
    <message>
        <location filename="../../app/ui/component_texts.py" line="272"/>
        <source>append: add the rows; replace: swap the table&apos;s content atomically; merge: update rows with equal keys, insert the others</source>
        <translation>append: añade las filas; replace: sustituye el contenido de la tabla de forma atómica; merge: actualiza las filas con claves iguales e inserta las demás</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="33"/>
        <source>Encrypt the bundle?</source>
        <translation>¿Cifrar el paquete?</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="33"/>
        <source>Encrypted bundle</source>
        <translation>Paquete cifrado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="35"/>
        <source>Encrypt the bundle with a passphrase</source>
        <translation>Cifrar el paquete con una frase de contraseña</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="46"/>
        <source>Passphrase</source>
        <translation>Frase de contraseña</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="48"/>
        <source>Again</source>
        <translation>Otra vez</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="53"/>
        <source>Whoever imports or runs the bundle will need this passphrase. It is not stored anywhere: keep it safe.</source>
        <translation>Quien importe o ejecute el paquete necesitará esta frase de contraseña. No se guarda en ningún sitio: consérvela en lugar seguro.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="57"/>
        <source>%1 is encrypted. Type its passphrase.</source>
        <translation>%1 está cifrado. Escriba su frase de contraseña.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="92"/>
        <source>Type a passphrase.</source>
        <translation>Escriba una frase de contraseña.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/passphrase.py" line="94"/>
        <source>The two passphrases differ.</source>
        <translation>Las dos frases de contraseña no coinciden.</translation>
    </message>
</context>
<context>
    <name>PlanTree</name>
    <message>
        <location filename="../../app/ui/analytics/plan_tree.py" line="35"/>
        <source>Operator</source>
        <extracomment>the text colour of a costly operator (readable on light and dark themes) plans of up to this many operators are shown fully expanded the item data role holding a row&apos;s :class:`PlanNode`</extracomment>
        <translation>Operador</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/plan_tree.py" line="36"/>
        <source>Detail</source>
        <translation>Detalle</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/plan_tree.py" line="37"/>
        <source>Rows (est.)</source>
        <translation>Filas (est.)</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/plan_tree.py" line="38"/>
        <source>Cost (est.)</source>
        <translation>Coste (est.)</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/plan_tree.py" line="39"/>
        <source>% of work</source>
        <translation>% del trabajo</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/plan_tree.py" line="104"/>
        <source>Costly: %1% of the plan&apos;s work</source>
        <translation>Costoso: %1 % del trabajo del plan</translation>
    </message>
</context>
<context>
    <name>PolicyEditor</name>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="71"/>
        <source>Edit retention policy</source>
        <extracomment>saved (the policy&apos;s name) a save was answered (saved or refused): tests wait for it</extracomment>
        <translation>Editar política de retención</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="71"/>
        <source>New retention policy</source>
        <translation>Nueva política de retención</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="79"/>
        <source>e.g. old-invoices</source>
        <translation>p. ej. facturas-antiguas</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="83"/>
        <source>table or schema.table</source>
        <translation>tabla o esquema.tabla</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="85"/>
        <source>a date or timestamp column</source>
        <translation>una columna de fecha o de fecha y hora</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="88"/>
        <source> days</source>
        <translation> días</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="90"/>
        <source>Rows dated before midnight (UTC) this many days ago are archived and deleted</source>
        <translation>Las filas fechadas antes de la medianoche (UTC) de hace tantos días se archivan y se eliminan</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="92"/>
        <source>Every day at</source>
        <translation>Cada día a las</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="105"/>
        <source> rows</source>
        <translation> filas</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="107"/>
        <source>Rows archived and deleted per transaction: small batches hold locks briefly</source>
        <translation>Filas archivadas y eliminadas por transacción: los lotes pequeños mantienen los bloqueos poco tiempo</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="109"/>
        <source>Encrypt the archive files (the project&apos;s key)</source>
        <translation>Cifrar los archivos Parquet (con la clave del proyecto)</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="111"/>
        <source>default: archives/ in the user data folder</source>
        <translation>por omisión: archives/ en la carpeta de datos del usuario</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="112"/>
        <source>Enabled</source>
        <translation>Activada</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="115"/>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="116"/>
        <source>&amp;Connection:</source>
        <translation>&amp;Conexión:</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="117"/>
        <source>&amp;Table:</source>
        <translation>&amp;Tabla:</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="118"/>
        <source>&amp;Date column:</source>
        <translation>Columna de &amp;fecha:</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="119"/>
        <source>&amp;Keep:</source>
        <translation>Con&amp;servar:</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="120"/>
        <source>&amp;When:</source>
        <translation>&amp;Cuándo:</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="123"/>
        <source>&amp;Batches of:</source>
        <translation>&amp;Lotes de:</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="124"/>
        <source>&amp;Archive to:</source>
        <translation>&amp;Archivar en:</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="211"/>
        <source>a name</source>
        <translation>un nombre</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="212"/>
        <source>a connection</source>
        <translation>una conexión</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="213"/>
        <source>a table</source>
        <translation>una tabla</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="214"/>
        <source>a date column</source>
        <translation>una columna de fecha</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="220"/>
        <source>Give %1.</source>
        <translation>Indique %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/editor.py" line="239"/>
        <source>Checking the table…</source>
        <translation>Comprobando la tabla…</translation>
    </message>
</context>
<context>
    <name>PreviewPanel</name>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="158"/>
        <source>Preview</source>
        <extracomment>asked before a preview reads anything (False: the user declined) what the rows shown belong to: (pipeline id, semantic hash, node id, node name)</extracomment>
        <translation>Vista previa</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="159"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="161"/>
        <source>Rows: </source>
        <translation>Filas: </translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="136"/>
        <location filename="../../app/ui/panels/preview.py" line="247"/>
        <source>Select a node and press Preview.</source>
        <extracomment>&quot;Masked: email, phone (tagged)&quot; — shown when tagged columns were masked makes the status text in the current language (called again on a language change)</extracomment>
        <translation>Seleccione un nodo y pulse Vista previa.</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="176"/>
        <source>Select one node to preview.</source>
        <translation>Seleccione un solo nodo para la vista previa.</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="190"/>
        <source>Running…</source>
        <translation>Ejecutando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="201"/>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="217"/>
        <source>“{0}”: {1} rows, {2} columns</source>
        <translation>«{0}»: {1} filas, {2} columnas</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="226"/>
        <source>Masked: {0} (tagged)</source>
        <translation>Enmascaradas: {0} (etiquetadas)</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="230"/>
        <source>These columns are tagged as personal data: their values are hidden. Users allowed to unmask see them.</source>
        <translation>Estas columnas están etiquetadas como datos personales: sus valores se ocultan. Los usuarios con permiso para desenmascarar los ven.</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="259"/>
        <source>The pipeline changed: press Preview to see “{0}” again.</source>
        <translation>El pipeline cambió: pulse Vista previa para ver «{0}» de nuevo.</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="267"/>
        <source>Preview cancelled.</source>
        <translation>Vista previa cancelada.</translation>
    </message>
</context>
<context>
    <name>ProblemsPanel</name>
    <message>
        <location filename="../../app/ui/panels/problems.py" line="39"/>
        <source>No problems.</source>
        <translation>Sin problemas.</translation>
    </message>
</context>
<context>
    <name>ProfileKinds</name>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="21"/>
        <source>numeric</source>
        <translation>numérica</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="22"/>
        <source>temporal</source>
        <translation>temporal</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="23"/>
        <source>string</source>
        <translation>texto</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="24"/>
        <source>boolean</source>
        <translation>booleana</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="25"/>
        <source>other</source>
        <translation>otra</translation>
    </message>
</context>
<context>
    <name>ProfileMixin</name>
    <message>
        <location filename="../../app/ui/profile/opening.py" line="56"/>
        <source>Select one node to profile its output</source>
        <translation>Seleccione un nodo para perfilar su salida</translation>
    </message>
</context>
<context>
    <name>ProfilePanel</name>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="59"/>
        <source>Column</source>
        <translation>Columna</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="60"/>
        <source>Kind</source>
        <translation>Clase</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="62"/>
        <location filename="../../app/ui/profile/columns.py" line="176"/>
        <source>Nulls</source>
        <translation>Nulos</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="67"/>
        <location filename="../../app/ui/profile/columns.py" line="184"/>
        <source>Distinct</source>
        <translation>Distintos</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="72"/>
        <location filename="../../app/ui/profile/columns.py" line="211"/>
        <source>Score</source>
        <translation>Puntuación</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="78"/>
        <source>Distribution</source>
        <translation>Distribución</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="130"/>
        <source>Statistic</source>
        <translation>Estadística</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="131"/>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="136"/>
        <source>Top value</source>
        <translation>Valor frecuente</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="137"/>
        <location filename="../../app/ui/profile/columns.py" line="144"/>
        <location filename="../../app/ui/profile/columns.py" line="174"/>
        <source>Rows</source>
        <translation>Filas</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="143"/>
        <source>Pattern or type</source>
        <translation>Patrón o tipo</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="189"/>
        <source>Minimum</source>
        <translation>Mínimo</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="190"/>
        <source>Maximum</source>
        <translation>Máximo</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="195"/>
        <source>Mean</source>
        <translation>Media</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="198"/>
        <source>Standard deviation</source>
        <translation>Desviación típica</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="204"/>
        <source>Length</source>
        <translation>Longitud</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/columns.py" line="209"/>
        <source>Looks like</source>
        <translation>Parece</translation>
    </message>
</context>
<context>
    <name>ProfileWindow</name>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="77"/>
        <source>Cancel</source>
        <extracomment>runs the profile: (on_progress, cancel) -&gt; TableProfile</extracomment>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="79"/>
        <source>Keep in the history (score trend, drift)</source>
        <translation>Guardar en el historial (evolución de la puntuación, deriva)</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="82"/>
        <source>Export HTML…</source>
        <translation>Exportar HTML…</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="97"/>
        <source>Column</source>
        <translation>Columna</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="98"/>
        <source>Score</source>
        <translation>Puntuación</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="99"/>
        <source>Checks</source>
        <translation>Comprobaciones</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="122"/>
        <source>Points lost</source>
        <translation>Puntos perdidos</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="131"/>
        <source>Check</source>
        <translation>Comprobación</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="132"/>
        <source>What it asks</source>
        <translation>Qué exige</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="133"/>
        <source>Severity</source>
        <translation>Gravedad</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="135"/>
        <source>Last result</source>
        <translation>Último resultado</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="139"/>
        <source>never run</source>
        <translation>nunca ejecutada</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="150"/>
        <source>Failing rows</source>
        <translation>Filas que fallan</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="162"/>
        <source>Accept checked suggestions</source>
        <translation>Aceptar las sugerencias marcadas</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="165"/>
        <source>Checks declared on this table</source>
        <translation>Comprobaciones declaradas en esta tabla</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="167"/>
        <source>Suggested checks</source>
        <translation>Comprobaciones sugeridas</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="181"/>
        <source>Profile of {0}</source>
        <translation>Perfil de {0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="197"/>
        <source>Profiling…</source>
        <translation>Perfilando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="206"/>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="212"/>
        <source>Query {0} of {1}: {2}</source>
        <translation>Consulta {0} de {1}: {2}</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="220"/>
        <source>Cancelled: nothing was profiled.</source>
        <translation>Cancelado: no se ha perfilado nada.</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="223"/>
        <source>The profile failed: {0}</source>
        <translation>El perfil ha fallado: {0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="229"/>
        <source>{0} rows, {1} duplicate rows, candidate keys: {2} ({3} s)</source>
        <translation>{0} filas, {1} filas duplicadas, claves candidatas: {2} ({3} s)</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="251"/>
        <source>Quality score: {0} / 100</source>
        <translation>Puntuación de calidad: {0} / 100</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="256"/>
        <source>No point lost</source>
        <translation>Ningún punto perdido</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="291"/>
        <source>The checks were not declared: {0}</source>
        <translation>No se han declarado las comprobaciones: {0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="305"/>
        <source>{0} check(s) declared in the project</source>
        <translation>{0} comprobación(es) declarada(s) en el proyecto</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="309"/>
        <source>Export HTML report</source>
        <translation>Exportar el informe HTML</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="309"/>
        <source>HTML files (*.html)</source>
        <translation>Archivos HTML (*.html)</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="324"/>
        <source>Report written to {0}</source>
        <translation>Informe escrito en {0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/profile/panel.py" line="326"/>
        <source>The report was not written: {0}</source>
        <translation>No se ha escrito el informe: {0}</translation>
    </message>
</context>
<context>
    <name>ProjectExplorer</name>
    <message>
        <location filename="../../app/ui/panels/explorer.py" line="55"/>
        <source>Connections</source>
        <extracomment>Profile on a table: (connection, table) the runs shown, or the error that kept them from loading (None before any load)</extracomment>
        <translation>Conexiones</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/explorer.py" line="56"/>
        <source>Pipelines</source>
        <translation>Canalizaciones</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/explorer.py" line="57"/>
        <source>Recent runs</source>
        <translation>Ejecuciones recientes</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/explorer.py" line="105"/>
        <source>(no runs yet)</source>
        <translation>(aún no hay ejecuciones)</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/explorer.py" line="111"/>
        <source>(metadata DB unavailable)</source>
        <translation>(base de metadatos no disponible)</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/explorer.py" line="124"/>
        <source>(reading the tables…)</source>
        <translation>(leyendo las tablas…)</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/explorer.py" line="140"/>
        <source>(tables unavailable)</source>
        <translation>(tablas no disponibles)</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/explorer.py" line="148"/>
        <source>Right-click to profile it</source>
        <translation>Clic derecho para perfilarla</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/explorer.py" line="151"/>
        <source>(no tables)</source>
        <translation>(sin tablas)</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/explorer.py" line="172"/>
        <source>Profile…</source>
        <translation>Perfilar…</translation>
    </message>
</context>
<context>
    <name>PropertiesPanel</name>
    <message>
        <location filename="../../app/ui/properties/panel.py" line="73"/>
        <source>Select a node to edit its properties.</source>
        <extracomment>where ``${PROJECT_DIR}`` points (file dialogs start there) lists a connection&apos;s tables, off the GUI thread (set by the main window) asked before anything reaches a connection (False: the user declined) the functions expressions may call, for completion (set by the main window)</extracomment>
        <translation>Seleccione un nodo para editar sus propiedades.</translation>
    </message>
    <message>
        <location filename="../../app/ui/properties/panel.py" line="115"/>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
</context>
<context>
    <name>QueryAnalyticsDialog</name>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="82"/>
        <source>Query analytics — %1</source>
        <extracomment>how many statements the table lists the slowest statements were (re)loaded the chosen node&apos;s trend was drawn a plan was shown</extracomment>
        <translation>Análisis de consultas — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="88"/>
        <source>&amp;Trend</source>
        <translation>&amp;Tendencia</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="89"/>
        <source>&amp;Plan</source>
        <translation>&amp;Plan</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="108"/>
        <source>All pipelines</source>
        <translation>Todos los pipelines</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="112"/>
        <source>&amp;Pipeline:</source>
        <translation>&amp;Pipeline:</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="114"/>
        <source>Re&amp;fresh</source>
        <translation>Actuali&amp;zar</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="125"/>
        <location filename="../../app/ui/analytics/panel.py" line="252"/>
        <source>slower</source>
        <translation>más lenta</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="128"/>
        <source>Pipeline</source>
        <translation>Pipeline</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="129"/>
        <source>Node</source>
        <translation>Nodo</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="130"/>
        <source>Statement</source>
        <translation>Sentencia</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="131"/>
        <source>Runs on</source>
        <translation>Se ejecuta en</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="132"/>
        <location filename="../../app/ui/analytics/panel.py" line="242"/>
        <source>Seconds</source>
        <translation>Segundos</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="133"/>
        <location filename="../../app/ui/analytics/panel.py" line="243"/>
        <source>Median</source>
        <translation>Mediana</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="134"/>
        <source>Runs</source>
        <translation>Ejecuciones</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="135"/>
        <location filename="../../app/ui/analytics/panel.py" line="244"/>
        <source>Rows</source>
        <translation>Filas</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="137"/>
        <location filename="../../app/ui/analytics/panel.py" line="251"/>
        <source>Slowdown</source>
        <translation>Lentitud</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="142"/>
        <source>Last run</source>
        <translation>Última ejecución</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="150"/>
        <source>No statement recorded yet: run a pipeline of this project first.</source>
        <translation>Aún no hay sentencias registradas: ejecuta antes un pipeline de este proyecto.</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="156"/>
        <source>Slowest statements (their latest run):</source>
        <translation>Sentencias más lentas (su última ejecución):</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="163"/>
        <source>destination</source>
        <translation>destino</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="164"/>
        <source>source read</source>
        <translation>lectura de origen</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="165"/>
        <source>part</source>
        <translation>parte</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="169"/>
        <source>local engine</source>
        <translation>motor local</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="174"/>
        <source>%1 of its last %2 runs were slower than usual</source>
        <translation>%1 de sus últimas %2 ejecuciones fueron más lentas de lo habitual</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="178"/>
        <source>Slower than its recent median of %1 s</source>
        <translation>Más lenta que su mediana reciente de %1 s</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="184"/>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="197"/>
        <source>%1 statement(s), %2 slower than usual in their latest run.</source>
        <translation>%1 sentencia(s), %2 más lenta(s) de lo habitual en su última ejecución.</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="234"/>
        <source>&amp;Node:</source>
        <translation>&amp;Nodo:</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="240"/>
        <source>Run</source>
        <translation>Ejecución</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="241"/>
        <source>Started</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="246"/>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="255"/>
        <source>Plan</source>
        <translation>Plan</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="255"/>
        <source>kept</source>
        <translation>guardado</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="279"/>
        <source>%1 slower</source>
        <translation>%1 más lenta(s)</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="305"/>
        <location filename="../../app/ui/analytics/panel.py" line="372"/>
        <source>Choose a statement to see its plan.</source>
        <translation>Elige una sentencia para ver su plan.</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="337"/>
        <source>Run #%1, %2: %3 on %4 (%5), %6 s.</source>
        <translation>Ejecución n.º %1, %2: %3 en %4 (%5), %6 s.</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="346"/>
        <source>Slower than its recent median of %1 s.</source>
        <translation>Más lenta que su mediana reciente de %1 s.</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="350"/>
        <source>No plan: %1</source>
        <translation>Sin plan: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="355"/>
        <source>%1 costly operator(s) highlighted.</source>
        <translation>%1 operador(es) costoso(s) resaltado(s).</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="365"/>
        <source>Plan kept on request (estimates).</source>
        <translation>Plan guardado a petición (estimaciones).</translation>
    </message>
    <message>
        <location filename="../../app/ui/analytics/panel.py" line="366"/>
        <source>Plan kept because the node ran slower (estimates).</source>
        <translation>Plan guardado porque el nodo fue más lento (estimaciones).</translation>
    </message>
</context>
<context>
    <name>RecordListCell</name>
    <message>
        <location filename="../../app/ui/properties/records.py" line="137"/>
        <source>Edit…</source>
        <extracomment>share of a records table&apos;s spare width per column kind: expressions most, then pickers (a function or column name must not be cut to &quot;count_d…&quot;), then free text and flags</extracomment>
        <translation>Editar…</translation>
    </message>
    <message>
        <location filename="../../app/ui/properties/records.py" line="139"/>
        <source>Click to edit.</source>
        <translation>Haga clic para editar.</translation>
    </message>
</context>
<context>
    <name>RecordsEditor</name>
    <message>
        <location filename="../../app/ui/properties/records.py" line="206"/>
        <source>Add</source>
        <translation>Añadir</translation>
    </message>
    <message>
        <location filename="../../app/ui/properties/records.py" line="207"/>
        <source>Remove</source>
        <translation>Quitar</translation>
    </message>
    <message>
        <location filename="../../app/ui/properties/records.py" line="417"/>
        <source>{0} ({1})</source>
        <extracomment>A field&apos;s label, then the record it belongs to: &quot;Expression (Amount)&quot;, &quot;Order by (row 2)&quot;</extracomment>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <location filename="../../app/ui/properties/records.py" line="426"/>
        <source>row {0}</source>
        <extracomment>The position of a record (a row of a table) that has no name yet</extracomment>
        <translation>fila {0}</translation>
    </message>
</context>
<context>
    <name>RequestForm</name>
    <message>
        <location filename="../../app/ui/compliance/request_form.py" line="37"/>
        <source>New request</source>
        <extracomment>the tags offered first (others: the project&apos;s own tags, or typed)</extracomment>
        <translation>Nueva solicitud</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/request_form.py" line="40"/>
        <source>Access (a copy of their data)</source>
        <translation>Acceso (una copia de sus datos)</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/request_form.py" line="41"/>
        <source>Portability (their data, machine-readable)</source>
        <translation>Portabilidad (sus datos, legibles por máquina)</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/request_form.py" line="42"/>
        <source>Erasure (forget them)</source>
        <translation>Supresión (olvidarlo)</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/request_form.py" line="43"/>
        <source>Rectification (correct their data)</source>
        <translation>Rectificación (corregir sus datos)</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/request_form.py" line="49"/>
        <source>The tag of the columns that hold this key</source>
        <translation>La etiqueta de las columnas que guardan esta clave</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/request_form.py" line="51"/>
        <source>e.g. ana@example.com</source>
        <translation>p. ej. ana@example.com</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/request_form.py" line="54"/>
        <source>&amp;Add key</source>
        <translation>&amp;Añadir clave</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/request_form.py" line="60"/>
        <source>&amp;Remove key</source>
        <translation>&amp;Quitar clave</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/request_form.py" line="64"/>
        <source>How the request arrived, reference…</source>
        <translation>Cómo llegó la solicitud, referencia…</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/request_form.py" line="75"/>
        <source>&amp;Kind:</source>
        <translation>&amp;Tipo:</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/request_form.py" line="76"/>
        <source>Subject &amp;key:</source>
        <translation>&amp;Clave del interesado:</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/request_form.py" line="77"/>
        <source>Keys:</source>
        <translation>Claves:</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/request_form.py" line="79"/>
        <source>&amp;Note:</source>
        <translation>N&amp;ota:</translation>
    </message>
    <message>
        <location filename="../../app/ui/compliance/request_form.py" line="90"/>
        <source>&amp;Register</source>
        <translation>&amp;Registrar</translation>
    </message>
</context>
<context>
    <name>RetentionDialog</name>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="76"/>
        <source>Retention — %1</source>
        <extracomment>the policies and runs were (re)loaded the &quot;will remove&quot; counts arrived a run started from here ended (or failed to start) what the status line says once the lists are loaded (a run&apos;s outcome)</extracomment>
        <translation>Retención — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="84"/>
        <source>Policy</source>
        <translation>Política</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="85"/>
        <source>Table</source>
        <translation>Tabla</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="86"/>
        <source>Keeps</source>
        <translation>Conserva</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="133"/>
        <source>Runs</source>
        <translation>Ejecuciones</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="88"/>
        <source>Next run</source>
        <translation>Próxima ejecución</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="87"/>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="89"/>
        <source>Next run removes</source>
        <translation>La próxima elimina</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="90"/>
        <source>Last run</source>
        <translation>Última ejecución</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="98"/>
        <source>No retention policy yet. “New…” defines one.</source>
        <translation>Aún no hay ninguna política de retención. «Nueva…» define una.</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="100"/>
        <source>&amp;New…</source>
        <translation>&amp;Nueva…</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="101"/>
        <source>&amp;Edit…</source>
        <translation>&amp;Editar…</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="102"/>
        <source>&amp;Delete</source>
        <translation>E&amp;liminar</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="103"/>
        <source>R&amp;un now</source>
        <translation>E&amp;jecutar ahora</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="104"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualizar</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="119"/>
        <source>Run</source>
        <translation>Ejecución</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="120"/>
        <source>Started</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="121"/>
        <source>By</source>
        <translation>Por</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="122"/>
        <source>Cutoff</source>
        <translation>Corte</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="123"/>
        <source>Archived</source>
        <translation>Archivadas</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="124"/>
        <source>Deleted</source>
        <translation>Eliminadas</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="125"/>
        <source>Files</source>
        <translation>Archivos</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="126"/>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="127"/>
        <source>Archive / error</source>
        <translation>Archivo / error</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="165"/>
        <source>%1 (disabled)</source>
        <translation>%1 (desactivada)</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="173"/>
        <source>%1 days</source>
        <translation>%1 días</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="179"/>
        <source>on demand</source>
        <translation>a petición</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="180"/>
        <source>daily %1 %2</source>
        <translation>cada día %1 %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="185"/>
        <location filename="../../app/ui/retention/dialog.py" line="191"/>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="186"/>
        <source>%1, %2 deleted</source>
        <translation>%1, %2 eliminadas</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="193"/>
        <source>Run %1, started %2</source>
        <translation>Ejecución %1, iniciada %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="206"/>
        <source>counting…</source>
        <translation>contando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="209"/>
        <source>cannot count: %1</source>
        <translation>no se puede contar: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="211"/>
        <source>%1 rows before %2</source>
        <translation>%1 filas anteriores a %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="221"/>
        <source>scheduler</source>
        <translation>planificador</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="221"/>
        <source>by hand</source>
        <translation>a mano</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="238"/>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="291"/>
        <source>Runs of “%1”</source>
        <translation>Ejecuciones de «%1»</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="291"/>
        <source>Runs (all policies)</source>
        <translation>Ejecuciones (todas las políticas)</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="324"/>
        <source>Delete retention policy</source>
        <translation>Eliminar política de retención</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="325"/>
        <source>Delete the policy “%1”? Its runs and archives stay.</source>
        <translation>¿Eliminar la política «%1»? Sus ejecuciones y archivos se conservan.</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="343"/>
        <source>Run “%1” now? Rows older than its cutoff (%2 counted) are archived, then deleted.</source>
        <translation>¿Ejecutar «%1» ahora? Las filas anteriores a su corte (%2 contadas) se archivan y después se eliminan.</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="348"/>
        <source>Run retention now</source>
        <translation>Ejecutar la retención ahora</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="353"/>
        <source>Running “%1”…</source>
        <translation>Ejecutando «%1»…</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="364"/>
        <source>“%1”: %2 rows archived and deleted.</source>
        <translation>«%1»: %2 filas archivadas y eliminadas.</translation>
    </message>
    <message>
        <location filename="../../app/ui/retention/dialog.py" line="370"/>
        <source>“%1” %2: %3</source>
        <translation>«%1» %2: %3</translation>
    </message>
</context>
<context>
    <name>RunConsole</name>
    <message>
        <location filename="../../app/ui/panels/console.py" line="64"/>
        <source>Node</source>
        <translation>Nodo</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/console.py" line="64"/>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/console.py" line="64"/>
        <source>Rows</source>
        <translation>Filas</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/console.py" line="64"/>
        <source>Seconds</source>
        <translation>Segundos</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/console.py" line="79"/>
        <source>Run of {0} started</source>
        <translation>Empezó la ejecución de {0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/console.py" line="121"/>
        <source>local</source>
        <translation>local</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/console.py" line="121"/>
        <source>pushdown</source>
        <translation>en la base de datos</translation>
    </message>
</context>
<context>
    <name>RunController</name>
    <message>
        <location filename="../../app/ui/controllers.py" line="30"/>
        <source>▣ local engine</source>
        <translation>▣ motor local</translation>
    </message>
    <message>
        <location filename="../../app/ui/controllers.py" line="31"/>
        <source>⇣ in {connection}</source>
        <translation>⇣ en {connection}</translation>
    </message>
    <message>
        <location filename="../../app/ui/controllers.py" line="178"/>
        <source>written</source>
        <translation>escritas</translation>
    </message>
    <message>
        <location filename="../../app/ui/controllers.py" line="178"/>
        <source>rows</source>
        <extracomment>keep the plan of every statement (Run &gt; Keep query plans, app.ui.analytics) (pipeline id, semantic hash) of the run whose colours the canvas shows</extracomment>
        <translation>filas</translation>
    </message>
</context>
<context>
    <name>RunStatus</name>
    <message>
        <location filename="../../app/ui/i18n.py" line="137"/>
        <source>pending</source>
        <extracomment>language code -&gt; its name in that language (what a language menu shows) the locale of each interface language (number formats)</extracomment>
        <translation>pendiente</translation>
    </message>
    <message>
        <location filename="../../app/ui/i18n.py" line="138"/>
        <source>running</source>
        <translation>en ejecución</translation>
    </message>
    <message>
        <location filename="../../app/ui/i18n.py" line="139"/>
        <source>succeeded</source>
        <translation>correcta</translation>
    </message>
    <message>
        <location filename="../../app/ui/i18n.py" line="140"/>
        <source>failed</source>
        <translation>fallida</translation>
    </message>
    <message>
        <location filename="../../app/ui/i18n.py" line="141"/>
        <source>cancelled</source>
        <translation>cancelada</translation>
    </message>
    <message>
        <location filename="../../app/ui/i18n.py" line="142"/>
        <source>skipped</source>
        <translation>omitida</translation>
    </message>
</context>
<context>
    <name>RunningMixin</name>
    <message>
        <location filename="../../app/ui/running.py" line="70"/>
        <source>Run not started: {0}</source>
        <translation>La ejecución no empezó: {0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/running.py" line="73"/>
        <source>Run not started</source>
        <translation>La ejecución no empezó</translation>
    </message>
    <message>
        <location filename="../../app/ui/running.py" line="84"/>
        <source>Run succeeded</source>
        <translation>Ejecución correcta</translation>
    </message>
    <message>
        <location filename="../../app/ui/running.py" line="86"/>
        <source>Run failed</source>
        <translation>La ejecución falló</translation>
    </message>
    <message>
        <location filename="../../app/ui/running.py" line="88"/>
        <source>Run cancelled</source>
        <translation>Ejecución cancelada</translation>
    </message>
    <message>
        <location filename="../../app/ui/running.py" line="90"/>
        <source>{0} in {1} s</source>
        <translation>{0} en {1} s</translation>
    </message>
    <message>
        <location filename="../../app/ui/running.py" line="92"/>
        <source>Failed at {0} (click to select it)</source>
        <translation>Falló en {0} (haga clic para seleccionarlo)</translation>
    </message>
</context>
<context>
    <name>RunsDialog</name>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="78"/>
        <source>Runs — %1</source>
        <extracomment>time ranges offered: (days back, or None for any time) the history (and charts) were reloaded a run&apos;s metrics were shown</extracomment>
        <translation>Ejecuciones — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="82"/>
        <source>&amp;History</source>
        <translation>&amp;Historial</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="84"/>
        <source>&amp;Dashboard</source>
        <translation>&amp;Panel de control</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="102"/>
        <source>All pipelines and syncs</source>
        <translation>Todos los pipelines y sincronizaciones</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="104"/>
        <source>Pipeline %1</source>
        <translation>Pipeline %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="105"/>
        <source>Sync %1</source>
        <translation>Sincronización %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="108"/>
        <source>All pipelines</source>
        <translation>Todos los pipelines</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="108"/>
        <source>All syncs</source>
        <translation>Todas las sincronizaciones</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="114"/>
        <source>Any status</source>
        <translation>Cualquier estado</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="120"/>
        <source>Any time</source>
        <translation>En cualquier momento</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="122"/>
        <source>Last 24 hours</source>
        <translation>Últimas 24 horas</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="124"/>
        <source>Last %1 days</source>
        <translation>Últimos %1 días</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="127"/>
        <source>Re&amp;fresh</source>
        <translation>Actuali&amp;zar</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="132"/>
        <source>&amp;Runs of:</source>
        <translation>&amp;Ejecuciones de:</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="133"/>
        <source>&amp;Status:</source>
        <translation>E&amp;stado:</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="134"/>
        <source>S&amp;tarted:</source>
        <translation>&amp;Inicio:</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="162"/>
        <source>Started</source>
        <translation>Inicio</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="163"/>
        <source>Kind</source>
        <translation>Clase</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="164"/>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="165"/>
        <location filename="../../app/ui/monitor/runs.py" line="181"/>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="166"/>
        <source>Trigger</source>
        <translation>Origen</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="167"/>
        <location filename="../../app/ui/monitor/runs.py" line="185"/>
        <source>Seconds</source>
        <translation>Segundos</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="168"/>
        <source>Rows moved</source>
        <translation>Filas movidas</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="169"/>
        <location filename="../../app/ui/monitor/runs.py" line="186"/>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="176"/>
        <source>No run matches these filters.</source>
        <translation>Ninguna ejecución cumple estos filtros.</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="180"/>
        <source>Node</source>
        <translation>Nodo</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="182"/>
        <source>Where</source>
        <translation>Dónde</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="183"/>
        <source>Rows in</source>
        <translation>Filas de entrada</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="184"/>
        <source>Rows out</source>
        <translation>Filas de salida</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="195"/>
        <source>Select a run to see its nodes and log.</source>
        <translation>Seleccione una ejecución para ver sus nodos y su registro.</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="197"/>
        <source>Nodes</source>
        <translation>Nodos</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="198"/>
        <source>Log</source>
        <translation>Registro</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="219"/>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="227"/>
        <source>%1 run(s).</source>
        <translation>%1 ejecución(es).</translation>
    </message>
    <message>
        <location filename="../../app/ui/monitor/runs.py" line="255"/>
        <source>No event recorded for this run.</source>
        <translation>No hay eventos registrados para esta ejecución.</translation>
    </message>
</context>
<context>
    <name>ScheduleEditor</name>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="82"/>
        <source>Edit schedule</source>
        <translation>Editar programación</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="82"/>
        <source>New schedule</source>
        <translation>Nueva programación</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="90"/>
        <source>default: the pipeline&apos;s or sync&apos;s name</source>
        <translation>por omisión: el nombre del pipeline o de la sincronización</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="92"/>
        <source>Pipeline</source>
        <translation>Pipeline</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="93"/>
        <source>Sync</source>
        <translation>Sincronización</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="103"/>
        <source>Cron expression</source>
        <translation>Expresión cron</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="104"/>
        <source>Every (interval)</source>
        <translation>Cada (intervalo)</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="105"/>
        <source>Once, at</source>
        <translation>Una vez, el</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="106"/>
        <source>After another schedule</source>
        <translation>Después de otra programación</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="112"/>
        <source>Five fields: minute hour day month weekday</source>
        <translation>Cinco campos: minuto hora día mes día-de-la-semana</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="114"/>
        <source>30s, 5m, 2h or 1d</source>
        <translation>30s, 5m, 2h o 1d</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="116"/>
        <source>An ISO date and time, read in the time zone</source>
        <translation>Una fecha y hora ISO, leída en la zona horaria</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="133"/>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="134"/>
        <source>How late a run may start and still count as on time</source>
        <translation>Cuánto puede retrasarse el inicio de una ejecución y seguir contando como puntual</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="136"/>
        <source>Skip: late runs are recorded missed</source>
        <translation>Omitir: las ejecuciones tardías se registran como perdidas</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="137"/>
        <source>One: missed runs are coalesced into one</source>
        <translation>Una: las ejecuciones perdidas se agrupan en una</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="138"/>
        <source>All: every missed run, up to the cap</source>
        <translation>Todas: cada ejecución perdida, hasta el límite</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="141"/>
        <source>cap </source>
        <translation>límite </translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="146"/>
        <source>Skip the new run (recorded skipped)</source>
        <translation>Omitir la nueva ejecución (se registra como omitida)</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="147"/>
        <source>Queue it until the previous one ends</source>
        <translation>Ponerla en cola hasta que acabe la anterior</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="148"/>
        <source>Allow it to run alongside</source>
        <translation>Permitir que se ejecute a la vez</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="149"/>
        <source>Enabled</source>
        <translation>Activada</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="155"/>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="156"/>
        <source>&amp;Runs:</source>
        <translation>&amp;Ejecuta:</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="157"/>
        <source>&amp;When:</source>
        <translation>&amp;Cuándo:</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="158"/>
        <source>&amp;Time zone:</source>
        <translation>&amp;Zona horaria:</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="159"/>
        <source>&amp;Grace:</source>
        <translation>&amp;Margen:</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="160"/>
        <source>&amp;Catch-up:</source>
        <translation>&amp;Recuperación:</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="161"/>
        <source>&amp;Overlap:</source>
        <translation>&amp;Solapamiento:</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="162"/>
        <source>&amp;Description:</source>
        <translation>&amp;Descripción:</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="169"/>
        <source>Next runs:</source>
        <translation>Próximas ejecuciones:</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="283"/>
        <source>Choose what the schedule runs.</source>
        <translation>Elija qué ejecuta la programación.</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="297"/>
        <source>Runs when “%1” succeeds.</source>
        <translation>Se ejecuta cuando «%1» termina bien.</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/editor.py" line="300"/>
        <source>No run to come (the time has passed).</source>
        <translation>No hay ejecuciones pendientes (la hora ya pasó).</translation>
    </message>
</context>
<context>
    <name>SchedulesDialog</name>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="65"/>
        <source>Schedules — %1</source>
        <extracomment>the lists were (re)loaded</extracomment>
        <translation>Programaciones — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="73"/>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="74"/>
        <source>Runs</source>
        <translation>Ejecuta</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="75"/>
        <source>When</source>
        <translation>Cuándo</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="76"/>
        <source>Policies</source>
        <translation>Políticas</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="77"/>
        <source>Next run</source>
        <translation>Próxima ejecución</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="78"/>
        <source>Last outcome</source>
        <translation>Último resultado</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="86"/>
        <source>No schedule yet. “New…” defines one.</source>
        <translation>Aún no hay programaciones. «Nueva…» define una.</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="88"/>
        <source>&amp;New…</source>
        <translation>&amp;Nueva…</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="89"/>
        <source>&amp;Edit…</source>
        <translation>&amp;Editar…</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="90"/>
        <source>&amp;Delete</source>
        <translation>&amp;Eliminar</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="91"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualizar</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="106"/>
        <source>Due</source>
        <translation>Prevista</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="107"/>
        <source>Schedule</source>
        <translation>Programación</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="108"/>
        <source>Outcome</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="109"/>
        <source>Finished</source>
        <translation>Terminada</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="110"/>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="116"/>
        <source>Fire history</source>
        <translation>Historial de disparos</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="147"/>
        <source>cron %1 (%2)</source>
        <translation>cron %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="149"/>
        <source>every %1 s</source>
        <translation>cada %1 s</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="151"/>
        <source>once at %1</source>
        <translation>una vez el %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="152"/>
        <source>after %1</source>
        <translation>después de %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="157"/>
        <source>grace %1 s, catch-up %2 (cap %3), overlap %4</source>
        <translation>margen %1 s, recuperación %2 (límite %3), solapamiento %4</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="163"/>
        <source>disabled; </source>
        <translation>desactivada; </translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="179"/>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="207"/>
        <source>Fire history of “%1”</source>
        <translation>Historial de disparos de «%1»</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="209"/>
        <source>Fire history (all schedules)</source>
        <translation>Historial de disparos (todas las programaciones)</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="241"/>
        <source>Delete schedule</source>
        <translation>Eliminar programación</translation>
    </message>
    <message>
        <location filename="../../app/ui/schedules/dialog.py" line="242"/>
        <source>Delete the schedule “%1”? Its history stays.</source>
        <translation>¿Eliminar la programación «%1»? Su historial se conserva.</translation>
    </message>
</context>
<context>
    <name>SchemaInbox</name>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="79"/>
        <source>Schema changes — %1</source>
        <extracomment>a review&apos;s state -&gt; the colour of a run status it reads like (STATUS_COLORS) the confirmation on screen (tests click its buttons), None when there is none</extracomment>
        <translation>Cambios de esquema — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="88"/>
        <source>Pending</source>
        <translation>Pendientes</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="89"/>
        <source>Approved</source>
        <translation>Aprobado</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="90"/>
        <source>Rejected</source>
        <translation>Rechazado</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="91"/>
        <source>Rolled back</source>
        <translation>Revertido</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="92"/>
        <source>Withdrawn</source>
        <translation>Retirado</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="93"/>
        <source>All</source>
        <translation>Todos</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="97"/>
        <source>All syncs</source>
        <translation>Todas las sincronizaciones</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="102"/>
        <source>Any time</source>
        <translation>En cualquier momento</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="103"/>
        <source>Last 24 hours</source>
        <translation>Últimas 24 horas</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="104"/>
        <source>Last 7 days</source>
        <translation>Últimos 7 días</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="105"/>
        <source>Last 30 days</source>
        <translation>Últimos 30 días</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="110"/>
        <source>Re&amp;fresh</source>
        <translation>Actuali&amp;zar</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="113"/>
        <source>&amp;Show:</source>
        <translation>&amp;Mostrar:</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="114"/>
        <source>S&amp;ync:</source>
        <translation>S&amp;incronización:</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="115"/>
        <source>S&amp;een:</source>
        <translation>&amp;Visto:</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="127"/>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="129"/>
        <source>Sync</source>
        <translation>Sincronización</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="130"/>
        <source>Destination</source>
        <translation>Destino</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="131"/>
        <source>Kind</source>
        <translation>Tipo de cambio</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="132"/>
        <source>Change</source>
        <translation>Cambio</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="133"/>
        <source>Detected</source>
        <translation>Detectado</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="134"/>
        <source>Runs held</source>
        <translation>Ejecuciones retenidas</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="135"/>
        <source>Decided by</source>
        <translation>Decidido por</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="136"/>
        <source>Used by</source>
        <translation>Usado por</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="144"/>
        <source>No schema change to show.</source>
        <translation>Ningún cambio de esquema que mostrar.</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="148"/>
        <source>Select a change to see its impact and history.</source>
        <translation>Seleccione un cambio para ver su impacto y su historial.</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="149"/>
        <source>&amp;Approve…</source>
        <translation>&amp;Aprobar…</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="151"/>
        <source>Change the destination table; the held rows arrive with the next run</source>
        <translation>Cambiar la tabla de destino; las filas retenidas llegan con la próxima ejecución</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="153"/>
        <source>Re&amp;ject…</source>
        <translation>Re&amp;chazar…</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="154"/>
        <source>Leave the destination table as it is</source>
        <translation>Dejar la tabla de destino como está</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="155"/>
        <source>Roll &amp;back…</source>
        <translation>Re&amp;vertir…</translation>
    </message>
    <message>
        <location filename="../../app/ui/inbox/schema.py" line="157"/>
        <source>Undo an approved change where no data is lost by it</source>
        <translation>Deshacer un cambio aprobado cuando no se pierde ningún dato</translation>
    </message>
</context>
<context>
    <name>SchemaPanel</name>
    <message>
        <location filename="../../app/ui/panels/schema.py" line="31"/>
        <location filename="../../app/ui/panels/schema.py" line="38"/>
        <source>Column</source>
        <extracomment>a column item&apos;s (port, incoming): an input port&apos;s column or an output port&apos;s (node id, port, column, incoming): where does this column come from?</extracomment>
        <translation>Columna</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/schema.py" line="31"/>
        <location filename="../../app/ui/panels/schema.py" line="38"/>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/schema.py" line="57"/>
        <source>Input: {0}</source>
        <translation>Entrada: {0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/schema.py" line="63"/>
        <source>Output: {0}</source>
        <translation>Salida: {0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/schema.py" line="70"/>
        <source>Double-click: where does it come from?</source>
        <translation>Doble clic: ¿de dónde viene?</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/schema.py" line="90"/>
        <source>Where does it come from?</source>
        <translation>¿De dónde viene?</translation>
    </message>
</context>
<context>
    <name>SelectionMixin</name>
    <message>
        <location filename="../../app/ui/selection.py" line="84"/>
        <source>Problems ({0})</source>
        <translation>Problemas ({0})</translation>
    </message>
    <message>
        <location filename="../../app/ui/selection.py" line="84"/>
        <source>Problems</source>
        <translation>Problemas</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/settings.py" line="72"/>
        <source>Settings</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings.py" line="73"/>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings.py" line="74"/>
        <source>&amp;Theme</source>
        <translation>&amp;Tema</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings.py" line="76"/>
        <source>Follow system</source>
        <translation>Según el sistema</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings.py" line="77"/>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings.py" line="78"/>
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings.py" line="82"/>
        <source>Changes apply at once to every open window.</source>
        <translation>Los cambios se aplican al momento en todas las ventanas abiertas.</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/shortcuts.py" line="28"/>
        <source>Drag from an output port to an input port</source>
        <extracomment>canvas gestures that are not actions (their texts are translated where shown)</extracomment>
        <translation>Arrastrar de un puerto de salida a uno de entrada</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/shortcuts.py" line="29"/>
        <source>Link two nodes</source>
        <translation>Enlazar dos nodos</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/shortcuts.py" line="32"/>
        <source>Mouse wheel</source>
        <translation>Rueda del ratón</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/shortcuts.py" line="33"/>
        <source>Zoom the canvas</source>
        <translation>Acercar o alejar el lienzo</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/shortcuts.py" line="36"/>
        <source>Middle button drag, or Alt + drag</source>
        <translation>Arrastrar con el botón central, o Alt + arrastrar</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/shortcuts.py" line="37"/>
        <source>Pan the canvas</source>
        <translation>Desplazar el lienzo</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/shortcuts.py" line="62"/>
        <source>Keyboard shortcuts</source>
        <translation>Atajos de teclado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/shortcuts.py" line="65"/>
        <source>Action</source>
        <translation>Acción</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/shortcuts.py" line="65"/>
        <source>Keys</source>
        <translation>Teclas</translation>
    </message>
</context>
<context>
    <name>SourcePage</name>
    <message>
        <location filename="../../app/ui/syncs/source_page.py" line="60"/>
        <source>Source</source>
        <extracomment>a catalog load finished: number of tables listed (-1: it failed)</extracomment>
        <translation>Origen</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/source_page.py" line="61"/>
        <source>Name the sync and choose the table it reads.</source>
        <translation>Dé un nombre a la sincronización y elija la tabla que lee.</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/source_page.py" line="78"/>
        <source>e.g. invoices</source>
        <extracomment>reading choices to tick when the table is listed (the edited sync&apos;s)</extracomment>
        <translation>p. ej., facturas</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/source_page.py" line="83"/>
        <source>Refresh</source>
        <translation>Actualizar</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/source_page.py" line="84"/>
        <source>Read the connection&apos;s tables and columns again</source>
        <translation>Volver a leer las tablas y columnas de la conexión</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/source_page.py" line="95"/>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/source_page.py" line="96"/>
        <source>Connection</source>
        <translation>Conexión</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/source_page.py" line="99"/>
        <source>Filter tables</source>
        <translation>Filtrar tablas</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/source_page.py" line="169"/>
        <source>This project has no connection a sync can read from. Add one under Connections.</source>
        <translation>Este proyecto no tiene ninguna conexión de la que pueda leer una sincronización. Añada una en Conexiones.</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/source_page.py" line="257"/>
        <source>Reading the tables of “%1”…</source>
        <translation>Leyendo las tablas de “%1”…</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/source_page.py" line="259"/>
        <source>Loading the catalog of “%1”…</source>
        <translation>Cargando el catálogo de “%1”…</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/source_page.py" line="286"/>
        <source>%1 tables and views; catalog read %2.</source>
        <translation>%1 tablas y vistas; catálogo leído: %2.</translation>
    </message>
</context>
<context>
    <name>SqlView</name>
    <message>
        <location filename="../../app/ui/panels/sql_view.py" line="36"/>
        <location filename="../../app/ui/panels/sql_view.py" line="64"/>
        <source>Dialect</source>
        <translation>Dialecto</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/sql_view.py" line="58"/>
        <location filename="../../app/ui/panels/sql_view.py" line="91"/>
        <source>-- select one node to see its SQL</source>
        <translation>-- seleccione un nodo para ver su SQL</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/sql_view.py" line="65"/>
        <source>Selected node</source>
        <translation>Nodo seleccionado</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/sql_view.py" line="66"/>
        <source>Where each part runs</source>
        <translation>Dónde se ejecuta cada parte</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/sql_view.py" line="68"/>
        <source>The selected node&apos;s SQL, or every part of a run: where it runs and its SQL</source>
        <translation>El SQL del nodo seleccionado, o cada parte de una ejecución: dónde se ejecuta y su SQL</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/sql_view.py" line="115"/>
        <source>runs on the local engine (duckdb)</source>
        <translation>se ejecuta en el motor local (duckdb)</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/sql_view.py" line="116"/>
        <source>runs in {0} ({1})</source>
        <translation>se ejecuta en {0} ({1})</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/sql_view.py" line="122"/>
        <source>-- no plan yet: the pipeline needs a destination and no errors</source>
        <translation>-- todavía no hay plan: la canalización necesita un destino y ningún error</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/sql_view.py" line="126"/>
        <source>-- Run everything on this computer is on: no node runs in a database</source>
        <translation>-- «Ejecutar todo en este equipo» está activado: ningún nodo se ejecuta en una base de datos</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/sql_view.py" line="129"/>
        <source>-- {0}: runs in {1} ({2}); only its result reaches the local engine</source>
        <translation>-- {0}: se ejecuta en {1} ({2}); solo su resultado llega al motor local</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/sql_view.py" line="134"/>
        <source>-- {0} (counted, nothing written): {1}</source>
        <translation>-- {0} (se cuenta, no se escribe nada): {1}</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/sql_view.py" line="138"/>
        <source>-- {0} writes {1} ({2}) through {3}: {4}</source>
        <translation>-- {0} escribe {1} ({2}) a través de {3}: {4}</translation>
    </message>
</context>
<context>
    <name>SuggestionsPane</name>
    <message>
        <location filename="../../app/ui/tags/suggestions.py" line="37"/>
        <source>Suggestions</source>
        <translation>Sugerencias</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/suggestions.py" line="44"/>
        <source>Column</source>
        <translation>Columna</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/suggestions.py" line="44"/>
        <source>Tag</source>
        <translation>Etiqueta</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/suggestions.py" line="44"/>
        <source>Why</source>
        <translation>Por qué</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/suggestions.py" line="44"/>
        <source>Confidence</source>
        <translation>Confianza</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/suggestions.py" line="53"/>
        <source>Suggest reads the columns&apos; names and a sample of their values.</source>
        <translation>Sugerir lee los nombres de las columnas y una muestra de sus valores.</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/suggestions.py" line="56"/>
        <source>Check a&amp;ll</source>
        <translation>Marcar &amp;todas</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/suggestions.py" line="57"/>
        <source>&amp;Accept selected</source>
        <translation>&amp;Aceptar las marcadas</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/suggestions.py" line="58"/>
        <source>Store the checked tags on their columns</source>
        <translation>Guardar las etiquetas marcadas en sus columnas</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/suggestions.py" line="101"/>
        <source>name: “%1”</source>
        <translation>nombre: «%1»</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/suggestions.py" line="104"/>
        <source>values: %1 % look like %2</source>
        <translation>valores: %1 % parecen %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/suggestions.py" line="141"/>
        <source>%1 suggestions left</source>
        <translation>quedan %1 sugerencias</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="281"/>
        <source>Summary</source>
        <translation>Resumen</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="282"/>
        <source>Check the sync, then Finish saves it into the project.</source>
        <translation>Revise la sincronización; al terminar, se guarda en el proyecto.</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="306"/>
        <source>(enums: the same type)</source>
        <translation>(enums: el mismo tipo)</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="316"/>
        <source>all %1</source>
        <translation>todas (%1)</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="318"/>
        <source>%1 of %2</source>
        <translation>%1 de %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="321"/>
        <source>full</source>
        <translation>completa</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="321"/>
        <source>append</source>
        <translation>añadir</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="321"/>
        <source>merge</source>
        <translation>combinar</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="323"/>
        <source>evolve</source>
        <translation>evolucionar</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="324"/>
        <source>freeze</source>
        <translation>congelar</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="325"/>
        <source>discard</source>
        <translation>descartar</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="326"/>
        <source>review</source>
        <translation>revisar</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="331"/>
        <source>(rejected: %1)</source>
        <translation>(si se rechaza: %1)</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="336"/>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="337"/>
        <source>Source</source>
        <translation>Origen</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="338"/>
        <source>Destinations</source>
        <translation>Destinos</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="339"/>
        <source>Mode</source>
        <translation>Modo</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="340"/>
        <source>Key columns</source>
        <translation>Columnas clave</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="341"/>
        <source>Cursor</source>
        <translation>Cursor</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="342"/>
        <source>Hard deletes</source>
        <translation>Borrados físicos</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="342"/>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="342"/>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="343"/>
        <source>Schema changes</source>
        <translation>Cambios de esquema</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="344"/>
        <source>Columns</source>
        <translation>Columnas</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="345"/>
        <source>Renamed</source>
        <translation>Renombradas</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/pages.py" line="347"/>
        <source>Masked</source>
        <translation>Enmascarado</translation>
    </message>
</context>
<context>
    <name>SyncListModel</name>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="96"/>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="97"/>
        <source>Source → destinations</source>
        <translation>Origen → destinos</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="98"/>
        <source>Mode</source>
        <translation>Modo</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="99"/>
        <source>Last status</source>
        <translation>Último estado</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="100"/>
        <source>Last run</source>
        <translation>Última ejecución</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="101"/>
        <source>Rows</source>
        <translation>Filas</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="149"/>
        <source>full</source>
        <translation>completa</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="150"/>
        <source>append</source>
        <translation>añadir</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="151"/>
        <source>merge</source>
        <translation>combinar</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="157"/>
        <source>succeeded</source>
        <translation>correcta</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="158"/>
        <source>failed</source>
        <translation>fallida</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="159"/>
        <source>cancelled</source>
        <translation>cancelada</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="160"/>
        <source>running…</source>
        <translation>en ejecución…</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="161"/>
        <source>held: schema changes wait for review</source>
        <translation>retenida: cambios de esquema pendientes de revisión</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/models.py" line="163"/>
        <source>never run</source>
        <translation>nunca ejecutada</translation>
    </message>
</context>
<context>
    <name>SyncWizard</name>
    <message>
        <location filename="../../app/ui/syncs/wizard.py" line="71"/>
        <source>Edit sync “%1”</source>
        <extracomment>the definition was written: (sync name, file path) per connection: the sync settings its connector has (reading options, enums) worker tasks report to this object, which outlives the wizard when it has a parent</extracomment>
        <translation>Editar la sincronización “%1”</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/wizard.py" line="73"/>
        <source>New sync</source>
        <translation>Nueva sincronización</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/wizard.py" line="140"/>
        <source>Saving the sync…</source>
        <translation>Guardando la sincronización…</translation>
    </message>
</context>
<context>
    <name>SyncsDialog</name>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="97"/>
        <source>Syncs — %1</source>
        <extracomment>the list was (re)loaded from the project and the metadata DB a run ended: (sync name, status: succeeded, failed or cancelled) where runs are recorded: the editor&apos;s metadata DB (``cauce --db``), not the default the wizard open now, if any</extracomment>
        <translation>Sincronizaciones — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="121"/>
        <source>No sync yet. “New…” defines one.</source>
        <translation>Todavía no hay sincronizaciones. “Nueva…” define una.</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="124"/>
        <source>New…</source>
        <translation>Nueva…</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="125"/>
        <source>Edit…</source>
        <translation>Editar…</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="126"/>
        <source>Delete</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="127"/>
        <source>Run now</source>
        <translation>Ejecutar ahora</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="128"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="158"/>
        <source>The events of a run appear here.</source>
        <translation>Aquí aparecen los eventos de cada ejecución.</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="217"/>
        <source>&amp;Run</source>
        <translation>&amp;Ejecutar</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="218"/>
        <source>Copy run as c&amp;url</source>
        <translation>Copiar ejecución como c&amp;url</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="228"/>
        <source>Copied a curl command that runs “%1” on the server.</source>
        <translation>Copiado un comando curl que ejecuta «%1» en el servidor.</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="277"/>
        <source>Opening the sync…</source>
        <translation>Abriendo la sincronización…</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="298"/>
        <source>Saved “%1” to %2.</source>
        <translation>“%1” se guardó en %2.</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="312"/>
        <source>Deleting…</source>
        <translation>Eliminando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="316"/>
        <source>Deleted “%1”.</source>
        <translation>“%1” se eliminó.</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="323"/>
        <source>Delete sync</source>
        <translation>Eliminar sincronización</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="325"/>
        <source>Delete the sync “%1”? Its file is removed from the project; the tables it wrote are kept.</source>
        <translation>¿Eliminar la sincronización “%1”? Su archivo se quita del proyecto; las tablas que escribió se conservan.</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="343"/>
        <source>Running “%1”…</source>
        <translation>Ejecutando “%1”…</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="366"/>
        <source>Cancelling “%1”…</source>
        <translation>Cancelando “%1”…</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="379"/>
        <source>Running “%1”: %2</source>
        <translation>Ejecutando “%1”: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="392"/>
        <source>“%1”: %2 destination(s) held by schema changes waiting for review (Monitor &gt; Schema changes).</source>
        <translation>«%1»: %2 destino(s) retenido(s) por cambios de esquema pendientes de revisión (Monitor &gt; Cambios de esquema).</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="401"/>
        <source>“%1” succeeded: %2 rows read.</source>
        <translation>“%1” terminó correctamente: %2 filas leídas.</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="402"/>
        <source>“%1” was cancelled; nothing of the interrupted write was kept.</source>
        <translation>“%1” se canceló; no se conservó nada de la escritura interrumpida.</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="403"/>
        <source>“%1” failed: %3</source>
        <translation>“%1” falló: %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/syncs/dialog.py" line="418"/>
        <source>“%1” could not run: %2</source>
        <translation>No se pudo ejecutar “%1”: %2</translation>
    </message>
</context>
<context>
    <name>TablePicker</name>
    <message>
        <location filename="../../app/ui/properties/browse.py" line="120"/>
        <source>Tables of “%1”</source>
        <translation>Tablas de «%1»</translation>
    </message>
    <message>
        <location filename="../../app/ui/properties/browse.py" line="122"/>
        <source>Filter tables…</source>
        <translation>Filtrar tablas…</translation>
    </message>
    <message>
        <location filename="../../app/ui/properties/browse.py" line="141"/>
        <source>Choose the node&apos;s connection first.</source>
        <translation>Elija antes la conexión del nodo.</translation>
    </message>
    <message>
        <location filename="../../app/ui/properties/browse.py" line="143"/>
        <source>Reading the tables of “%1”…</source>
        <translation>Leyendo las tablas de «%1»…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/properties/browse.py" line="155"/>
        <source>%n table(s)</source>
        <translation>
            <numerusform>%n tabla</numerusform>
            <numerusform>%n tablas</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TagsWindow</name>
    <message>
        <location filename="../../app/ui/tags/window.py" line="80"/>
        <source>Column tags — %1</source>
        <translation>Etiquetas de columnas — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="90"/>
        <source>Connection, table, column or tag</source>
        <translation>Conexión, tabla, columna o etiqueta</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="94"/>
        <source>&amp;Filter:</source>
        <translation>&amp;Filtrar:</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="96"/>
        <source>&amp;Read catalogs</source>
        <translation>&amp;Leer catálogos</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="98"/>
        <source>Read the tables and columns of every connection again (contacts them)</source>
        <translation>Leer de nuevo las tablas y columnas de cada conexión (se conecta a ellas)</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="100"/>
        <source>&amp;Suggest</source>
        <translation>&amp;Sugerir</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="102"/>
        <source>Suggest tags from the columns&apos; names and a sample of their values</source>
        <translation>Sugerir etiquetas a partir de los nombres de las columnas y de una muestra de sus valores</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="120"/>
        <source>Column</source>
        <translation>Columna</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="120"/>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="120"/>
        <source>Tags</source>
        <translation>Etiquetas</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="172"/>
        <source>Tags of the selected column</source>
        <translation>Etiquetas de la columna elegida</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="178"/>
        <source>Re&amp;move</source>
        <translation>&amp;Quitar</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="179"/>
        <source>Take the chosen tag off the column</source>
        <translation>Quitar a la columna la etiqueta elegida</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="192"/>
        <source>hr.contract</source>
        <translation>rrhh.contrato</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="195"/>
        <source>A standard tag, or a custom dotted name in lower case such as sensitive.salary or hr.contract</source>
        <translation>Una etiqueta estándar, o un nombre propio con puntos y en minúsculas como sensitive.salario o rrhh.contrato</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="202"/>
        <source>&amp;Tag:</source>
        <translation>&amp;Etiqueta:</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="204"/>
        <source>A&amp;dd</source>
        <translation>Aña&amp;dir</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="205"/>
        <source>Put the tag on the column</source>
        <translation>Poner la etiqueta a la columna</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="240"/>
        <source>%1 columns, %2 of them tagged</source>
        <translation>%1 columnas, %2 de ellas etiquetadas</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="248"/>
        <location filename="../../app/ui/tags/window.py" line="339"/>
        <source>Error: %1</source>
        <translation>Error: %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="271"/>
        <source>The catalog is empty: Read catalogs reads the tables and columns of the project&apos;s connections; then they can be tagged.</source>
        <translation>El catálogo está vacío: Leer catálogos lee las tablas y columnas de las conexiones del proyecto; después se pueden etiquetar.</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="277"/>
        <source>No column matches “%1”.</source>
        <translation>Ninguna columna coincide con «%1».</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="302"/>
        <source>Choose a column above.</source>
        <translation>Elija una columna arriba.</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="318"/>
        <source>Save the project first: tags belong to a saved project.</source>
        <translation>Guarde antes el proyecto: las etiquetas pertenecen a un proyecto guardado.</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="347"/>
        <source>%1 tagged %2</source>
        <translation>%1 etiquetada como %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="359"/>
        <source>%1 is no longer tagged %2</source>
        <translation>%1 ya no está etiquetada como %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="377"/>
        <source>%1 suggested tag(s) accepted</source>
        <translation>%1 etiqueta(s) sugerida(s) aceptada(s)</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="413"/>
        <source>%1 suggestions, %2 of them already tagged</source>
        <translation>%1 sugerencias, %2 de ellas ya etiquetadas</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="418"/>
        <source>Check the tags to keep.</source>
        <translation>Marque las etiquetas que quiera conservar.</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="423"/>
        <source>Suggesting tags (reading samples)…</source>
        <translation>Sugiriendo etiquetas (leyendo muestras)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/tags/window.py" line="432"/>
        <source>Reading the catalogs…</source>
        <translation>Leyendo los catálogos…</translation>
    </message>
</context>
<context>
    <name>TransportInfo</name>
    <message>
        <location filename="../../app/ui/dialogs/transport.py" line="17"/>
        <source>never encrypted (disable)</source>
        <extracomment>what each TLS mode asks for, in the words of app.connectors.tls</extracomment>
        <translation>nunca cifrada (disable)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/transport.py" line="18"/>
        <source>encrypted only if the server offers it (prefer)</source>
        <translation>cifrada solo si el servidor lo ofrece (prefer)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/transport.py" line="19"/>
        <source>encrypted or refused; certificate not checked (require)</source>
        <translation>cifrada o rechazada; certificado sin comprobar (require)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/transport.py" line="22"/>
        <source>encrypted or refused; certificate checked (verify-ca)</source>
        <translation>cifrada o rechazada; certificado comprobado (verify-ca)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/transport.py" line="25"/>
        <source>encrypted or refused; certificate and host name checked (verify-full)</source>
        <translation>cifrada o rechazada; certificado y nombre de host comprobados (verify-full)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/transport.py" line="54"/>
        <source>Encryption in transit</source>
        <translation>Cifrado en tránsito</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/transport.py" line="55"/>
        <source>Last test</source>
        <translation>Última prueba</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/transport.py" line="67"/>
        <source>not tested</source>
        <translation>sin probar</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/transport.py" line="71"/>
        <source>not encrypted</source>
        <translation>sin cifrar</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/transport.py" line="74"/>
        <source>encrypted (%1)</source>
        <translation>cifrada (%1)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/transport.py" line="76"/>
        <source>encrypted</source>
        <translation>cifrada</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/transport.py" line="79"/>
        <source>certificate verified</source>
        <translation>certificado verificado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/transport.py" line="81"/>
        <source>certificate not verified</source>
        <translation>certificado no verificado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/transport.py" line="85"/>
        <source>host name checked</source>
        <translation>nombre de host comprobado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/transport.py" line="87"/>
        <source>host name not checked</source>
        <translation>nombre de host no comprobado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/transport.py" line="90"/>
        <source>HTTPS only</source>
        <translation>solo HTTPS</translation>
    </message>
</context>
<context>
    <name>TrustDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/trust.py" line="36"/>
        <source>Trust this project?</source>
        <translation>¿Confiar en este proyecto?</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/trust.py" line="39"/>
        <source>“%1” comes from elsewhere and has not been trusted on this machine. Before it goes on, this is what it would do:</source>
        <translation>“%1” viene de otro sitio y no se ha marcado como de confianza en este equipo. Antes de seguir, esto es lo que haría:</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/trust.py" line="49"/>
        <source>(nothing: no connection, file or query)</source>
        <translation>(nada: ninguna conexión, archivo ni consulta)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/trust.py" line="55"/>
        <source>Trust it only if you know where it comes from. The answer is kept on this machine for this content; if the project changes, you are asked again.</source>
        <translation>Confíe en él solo si sabe de dónde viene. La respuesta se guarda en este equipo para este contenido; si el proyecto cambia, se le volverá a preguntar.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/trust.py" line="63"/>
        <source>Trust and continue</source>
        <translation>Confiar y continuar</translation>
    </message>
</context>
<context>
    <name>UndoCommands</name>
    <message>
        <location filename="../../app/ui/canvas/commands.py" line="57"/>
        <location filename="../../app/ui/canvas/commands.py" line="206"/>
        <source>Connect</source>
        <extracomment>edits of one field merge into one undo step while they come this close together (seconds): a burst of typing is one step, a change made later (or after a dialog) is its own the English command texts the bridge passes (translated here, shown as given otherwise)</extracomment>
        <translation>Conectar</translation>
    </message>
    <message>
        <location filename="../../app/ui/canvas/commands.py" line="58"/>
        <location filename="../../app/ui/canvas/commands.py" line="219"/>
        <source>Disconnect</source>
        <translation>Desconectar</translation>
    </message>
    <message>
        <location filename="../../app/ui/canvas/commands.py" line="59"/>
        <location filename="../../app/ui/canvas/commands.py" line="240"/>
        <source>Move</source>
        <translation>Mover</translation>
    </message>
    <message>
        <location filename="../../app/ui/canvas/commands.py" line="60"/>
        <source>Auto-layout</source>
        <translation>Organizar automáticamente</translation>
    </message>
    <message>
        <location filename="../../app/ui/canvas/commands.py" line="61"/>
        <location filename="../../app/ui/canvas/commands.py" line="266"/>
        <source>Paste</source>
        <translation>Pegar</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/canvas/commands.py" line="74"/>
        <source>Delete %n node(s)</source>
        <extracomment>the text of deleting a selection, translated with its plural forms for the command&apos;s count</extracomment>
        <translation>
            <numerusform>Eliminar %n nodo</numerusform>
            <numerusform>Eliminar %n nodos</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/canvas/commands.py" line="167"/>
        <source>Add %1</source>
        <translation>Añadir %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/canvas/commands.py" line="185"/>
        <source>Delete %1</source>
        <translation>Eliminar %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/canvas/commands.py" line="295"/>
        <source>Edit %1: %2</source>
        <translation>Editar %1: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/canvas/commands.py" line="340"/>
        <source>Rename to %1</source>
        <translation>Renombrar a %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/canvas/commands.py" line="360"/>
        <source>Run everything on this computer</source>
        <translation>Ejecutar todo en este equipo</translation>
    </message>
    <message>
        <location filename="../../app/ui/canvas/commands.py" line="362"/>
        <source>Run in the databases where possible</source>
        <translation>Ejecutar en las bases de datos donde se pueda</translation>
    </message>
</context>
<context>
    <name>VersionDiffDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/version_diff.py" line="43"/>
        <source>Roll back to {0}?</source>
        <translation>¿Revertir a {0}?</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/version_diff.py" line="45"/>
        <source>Changes since {0}</source>
        <translation>Cambios desde {0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/version_diff.py" line="50"/>
        <source>Change</source>
        <translation>Cambio</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/version_diff.py" line="50"/>
        <source>Canvas</source>
        <translation>Lienzo</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/version_diff.py" line="70"/>
        <source>{0} changes; changed nodes are coloured on the canvas.</source>
        <translation>{0} cambios; los nodos cambiados se colorean en el lienzo.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/version_diff.py" line="72"/>
        <source>No changes.</source>
        <translation>Sin cambios.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/version_diff.py" line="82"/>
        <source>Roll back</source>
        <translation>Revertir</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/version_diff.py" line="99"/>
        <source>pipeline name</source>
        <translation>nombre de la canalización</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/version_diff.py" line="100"/>
        <source>added ({0})</source>
        <translation>añadido ({0})</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/version_diff.py" line="102"/>
        <source>removed ({0})</source>
        <translation>eliminado ({0})</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/version_diff.py" line="104"/>
        <source>renamed</source>
        <translation>renombrado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/version_diff.py" line="107"/>
        <location filename="../../app/ui/dialogs/version_diff.py" line="108"/>
        <source>edge</source>
        <translation>enlace</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/version_diff.py" line="113"/>
        <source>only canvas positions changed</source>
        <translation>solo cambiaron posiciones del lienzo</translation>
    </message>
</context>
</TS>
