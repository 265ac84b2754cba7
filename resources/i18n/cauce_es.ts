<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="es_ES">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/about.py" line="27" />
        <source>About Cauce</source>
        <extracomment>the documentation shipped with the sources</extracomment>
        <translation>Acerca de Cauce</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/about.py" line="34" />
        <source>A desktop studio to draw data pipelines, compile them to SQL and run them locally or in the warehouse.</source>
        <translation>Un estudio de escritorio para dibujar canalizaciones de datos, compilarlas a SQL y ejecutarlas en local o en el almacén de datos.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/about.py" line="37" />
        <source>Qt %1 · PySide6 %2 · Python %3</source>
        <translation>Qt %1 · PySide6 %2 · Python %3</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/about.py" line="41" />
        <source>Licensed under the %1 licence.</source>
        <translation>Publicado bajo la licencia %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/about.py" line="46" />
        <source>Documentation</source>
        <translation>Documentación</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/about.py" line="49" />
        <source>Documentation: the docs folder of the Cauce sources.</source>
        <translation>Documentación: la carpeta docs de las fuentes de Cauce.</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <location filename="../../app/ui/notify.py" line="68" />
        <source>Dismiss</source>
        <extracomment>level -&gt; (icon name, accent colour)</extracomment>
        <translation>Descartar</translation>
    </message>
</context>
<context>
    <name>Bundles</name>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="52" />
        <source>added</source>
        <extracomment>plan kind -&gt; (icon, colour of the kind's text)</extracomment>
        <translation>añadido</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="53" />
        <source>changed</source>
        <translation>modificado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="54" />
        <source>layout only</source>
        <translation>solo disposición</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="55" />
        <source>unchanged</source>
        <translation>sin cambios</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="56" />
        <source>removed</source>
        <translation>eliminado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="63" />
        <source>Project</source>
        <translation>Proyecto</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="64" />
        <source>Connections</source>
        <translation>Conexiones</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="65" />
        <source>Pipelines</source>
        <translation>Canalizaciones</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="66" />
        <source>Data files</source>
        <translation>Archivos de datos</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="103" />
        <source>Export project</source>
        <translation>Exportar proyecto</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="105" />
        <location filename="../../app/ui/dialogs/bundles.py" line="242" />
        <source>Cauce bundles (*.cauce)</source>
        <translation>Paquetes de Cauce (*.cauce)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="129" />
        <source>Exporting…</source>
        <translation>Exportando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="136" />
        <source>Export failed</source>
        <translation>Error al exportar</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="137" />
        <source>The project could not be exported.</source>
        <translation>No se pudo exportar el proyecto.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="144" />
        <source>Project exported</source>
        <translation>Proyecto exportado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="145" />
        <source>The bundle was written to %1.</source>
        <translation>El paquete se guardó en %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="240" />
        <source>Import a bundle</source>
        <translation>Importar un paquete</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="248" />
        <source>Import into folder</source>
        <translation>Importar en la carpeta</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="281" />
        <source>Checking the bundle…</source>
        <translation>Comprobando el paquete…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="288" />
        <source>Cannot import this bundle</source>
        <translation>No se puede importar este paquete</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="289" />
        <source>%1 failed its checks; nothing was written.</source>
        <translation>%1 no superó las comprobaciones; no se escribió nada.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="303" />
        <source>Importing…</source>
        <translation>Importando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="309" />
        <source>Import failed</source>
        <translation>Error al importar</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="310" />
        <source>Nothing was changed.</source>
        <translation>No se cambió nada.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="317" />
        <source>Project imported</source>
        <translation>Proyecto importado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="318" />
        <source>Project “%1” is in %2.</source>
        <translation>El proyecto «%1» está en %2.</translation>
    </message>
</context>
<context>
    <name>ConnectionForm</name>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="40" />
        <source>Path</source>
        <translation>Ruta</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="41" />
        <source>Host</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="42" />
        <source>Port</source>
        <translation>Puerto</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="43" />
        <source>Database</source>
        <translation>Base de datos</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="44" />
        <source>User</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="45" />
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="46" />
        <source>SSL mode</source>
        <translation>Modo SSL</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="47" />
        <source>Connect Timeout</source>
        <translation>Tiempo de espera</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="48" />
        <source>Application Name</source>
        <translation>Nombre de la aplicación</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="49" />
        <source>Format</source>
        <translation>Formato</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="50" />
        <source>Delimiter</source>
        <translation>Delimitador</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="51" />
        <source>Header</source>
        <translation>Encabezado</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="52" />
        <source>Database file; relative paths resolve against the project.</source>
        <translation>Archivo de la base de datos; las rutas relativas parten del proyecto.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="55" />
        <source>Database file (relative to the project) or ':memory:'.</source>
        <translation>Archivo de la base de datos (relativo al proyecto) o ':memory:'.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="56" />
        <source>Directory holding the files (relative to the project).</source>
        <translation>Carpeta que contiene los archivos (relativa al proyecto).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="57" />
        <source>csv or parquet; by default from each file's extension.</source>
        <translation>csv o parquet; por defecto, según la extensión de cada archivo.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="58" />
        <source>CSV field delimiter.</source>
        <translation>Delimitador de campos CSV.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="59" />
        <source>CSV files have a header row.</source>
        <translation>Los archivos CSV tienen una fila de encabezado.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="60" />
        <source>Server host name or address.</source>
        <translation>Nombre o dirección del servidor.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="61" />
        <source>Database name.</source>
        <translation>Nombre de la base de datos.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="62" />
        <source>User name.</source>
        <translation>Nombre de usuario.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="63" />
        <source>Password (kept in the secret store).</source>
        <translation>Contraseña (se guarda en el almacén de secretos).</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="64" />
        <source>Seconds to wait for a connection.</source>
        <translation>Segundos de espera para conectar.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="65" />
        <source>Shown in pg_stat_activity.</source>
        <translation>Se muestra en pg_stat_activity.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="134" />
        <source>(automatic)</source>
        <extracomment>schema titles that pydantic derived badly from the field name</extracomment>
        <translation>(automático)</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="163" />
        <source>Browse…</source>
        <translation>Examinar…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="240" />
        <source>Stored; leave empty to keep it</source>
        <translation>Guardada; déjela vacía para conservarla</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="244" />
        <source>Goes to the secret store</source>
        <translation>Se guarda en el almacén de secretos</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connection_form.py" line="250" />
        <source>Required</source>
        <translation>Obligatorio</translation>
    </message>
</context>
<context>
    <name>ConnectionsDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="100" />
        <source>Connections — %1</source>
        <extracomment>secret values typed in this session, by field (saved to the store on OK) the connection existed when the dialog opened (its secrets may be stored already) a test finished: (connection name, succeeded, message shown)</extracomment>
        <translation>Conexiones — %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="113" />
        <source>Add a connection</source>
        <translation>Añadir una conexión</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="114" />
        <source>Duplicate</source>
        <translation>Duplicar</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="115" />
        <source>Delete</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="123" />
        <source>Connections</source>
        <translation>Conexiones</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="135" />
        <source>What this connection is for</source>
        <translation>Para qué sirve esta conexión</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="137" />
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="138" />
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="139" />
        <source>Description</source>
        <translation>Descripción</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="145" />
        <source>Settings</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="148" />
        <source>Test connection</source>
        <translation>Probar conexión</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="176" />
        <source>No connection yet. Add one with +.</source>
        <translation>Aún no hay conexiones. Añada una con +.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="269" />
        <source>A connection needs a name.</source>
        <translation>Una conexión necesita un nombre.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="270" />
        <source>There is already a connection named “%1”.</source>
        <translation>Ya existe una conexión llamada «%1».</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="283" />
        <source>new connection</source>
        <translation>nueva conexión</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="292" />
        <source>%1 copy</source>
        <translation>%1 copia</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="323" />
        <source>Testing “%1”…</source>
        <translation>Probando «%1»…</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="349" />
        <source>Connection “%1” works.</source>
        <translation>La conexión «%1» funciona.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="376" />
        <source>“%1” needs: %2</source>
        <translation>A «%1» le falta: %2</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="401" />
        <source>The password could not be saved, so nothing was saved yet.

Cauce keeps secrets in the operating system's keyring. Where there is none (servers, some Linux desktops), set the environment variable CAUCE_MASTER_KEY to a passphrase before starting Cauce: secrets are then kept encrypted in Cauce's data folder. A secret can also be given at run time in an environment variable CAUCE_SECRET_&lt;CONNECTION&gt;_&lt;FIELD&gt;.</source>
        <translation>No se pudo guardar la contraseña, así que todavía no se ha guardado nada.

Cauce guarda los secretos en el llavero del sistema operativo. Donde no lo hay (servidores, algunos escritorios Linux), defina la variable de entorno CAUCE_MASTER_KEY con una frase de contraseña antes de iniciar Cauce: los secretos se guardan entonces cifrados en la carpeta de datos de Cauce. Un secreto también puede darse al ejecutar, en una variable de entorno CAUCE_SECRET_&lt;CONEXIÓN&gt;_&lt;CAMPO&gt;.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="407" />
        <source>Secret store unavailable</source>
        <translation>Almacén de secretos no disponible</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/connections.py" line="412" />
        <source>The password could not be saved.</source>
        <translation>No se pudo guardar la contraseña.</translation>
    </message>
</context>
<context>
    <name>DocumentMixin</name>
    <message>
        <location filename="../../app/ui/document.py" line="34" />
        <source>Unsaved changes</source>
        <translation>Cambios sin guardar</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="35" />
        <source>The project {0} has unsaved changes. Save them?</source>
        <translation>El proyecto {0} tiene cambios sin guardar. ¿Desea guardarlos?</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="53" />
        <source>Open project directory</source>
        <translation>Abrir la carpeta del proyecto</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="64" />
        <source>Cannot open project</source>
        <translation>No se puede abrir el proyecto</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="83" />
        <source>Cannot save</source>
        <translation>No se puede guardar</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="90" />
        <source>Saved to {0}</source>
        <translation>Guardado en {0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="95" />
        <source>Save project to directory</source>
        <translation>Guardar el proyecto en una carpeta</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="100" />
        <source>New pipeline</source>
        <translation>Nueva canalización</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="100" />
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="133" />
        <source>Not available</source>
        <translation>No disponible</translation>
    </message>
    <message>
        <location filename="../../app/ui/document.py" line="134" />
        <source>This part of the editor ({0}) is not installed in this build.</source>
        <translation>Esta parte del editor ({0}) no está instalada en esta versión.</translation>
    </message>
</context>
<context>
    <name>ImportPreviewDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="158" />
        <source>Import %1</source>
        <translation>Importar %1</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="161" />
        <source>It replaces the project in %1.</source>
        <translation>Sustituye al proyecto de %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="163" />
        <source>It creates %1.</source>
        <translation>Crea %1.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="166" />
        <source>Importing project “%1”.</source>
        <translation>Importación del proyecto «%1».</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="170" />
        <source>Item</source>
        <translation>Elemento</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="170" />
        <source>Change</source>
        <translation>Cambio</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="170" />
        <source>Details</source>
        <translation>Detalles</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="180" />
        <source>Nothing to import: the project is already up to date.</source>
        <translation>Nada que importar: el proyecto ya está al día.</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="184" />
        <source>Import</source>
        <translation>Importar</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="217" />
        <source>kept</source>
        <translation>se conserva</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/bundles.py" line="217" />
        <source>not part of the project; left as it is</source>
        <translation>no forma parte del proyecto; se deja como está</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="85" />
        <source>Components</source>
        <translation>Componentes</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="86" />
        <source>Project</source>
        <translation>Proyecto</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="88" />
        <source>Properties</source>
        <translation>Propiedades</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="89" />
        <source>Schema</source>
        <translation>Esquema</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="91" />
        <source>SQL</source>
        <translation>SQL</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="94" />
        <source>Data preview</source>
        <translation>Vista previa de datos</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="96" />
        <source>Run console</source>
        <translation>Consola de ejecución</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="98" />
        <location filename="../../app/ui/main_window.py" line="199" />
        <source>Problems</source>
        <translation>Problemas</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="117" />
        <source>Check failed: {0}</source>
        <translation>La comprobación falló: {0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="199" />
        <source>Problems ({0})</source>
        <translation>Problemas ({0})</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="246" />
        <source>Run not started: {0}</source>
        <translation>La ejecución no empezó: {0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="248" />
        <source>Run failed</source>
        <translation>La ejecución falló</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="252" />
        <source>Run {0}</source>
        <translation>Ejecución {0}</translation>
    </message>
</context>
<context>
    <name>Palette</name>
    <message>
        <location filename="../../app/ui/panels/palette.py" line="35" />
        <source>Search components…</source>
        <translation>Buscar componentes…</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/palette.py" line="43" />
        <source>Add to canvas</source>
        <translation>Añadir al lienzo</translation>
    </message>
</context>
<context>
    <name>PreviewPanel</name>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="87" />
        <source>Preview</source>
        <translation>Vista previa</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="88" />
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="93" />
        <source>Rows: </source>
        <translation>Filas: </translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="94" />
        <source>Select a node and press Preview.</source>
        <translation>Seleccione un nodo y pulse Vista previa.</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="116" />
        <source>Select one node to preview.</source>
        <translation>Seleccione un solo nodo para la vista previa.</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="122" />
        <source>Running…</source>
        <translation>Ejecutando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="131" />
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="142" />
        <source>{0} rows, {1} columns</source>
        <translation>{0} filas, {1} columnas</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/preview.py" line="149" />
        <source>Preview cancelled.</source>
        <translation>Vista previa cancelada.</translation>
    </message>
</context>
<context>
    <name>ProblemsPanel</name>
    <message>
        <location filename="../../app/ui/panels/problems.py" line="32" />
        <source>No problems.</source>
        <translation>Sin problemas.</translation>
    </message>
</context>
<context>
    <name>ProjectExplorer</name>
    <message>
        <location filename="../../app/ui/panels/explorer.py" line="22" />
        <source>Connections</source>
        <translation>Conexiones</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/explorer.py" line="23" />
        <source>Pipelines</source>
        <translation>Canalizaciones</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/explorer.py" line="24" />
        <source>Recent runs</source>
        <translation>Ejecuciones recientes</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/explorer.py" line="59" />
        <source>(no runs yet)</source>
        <translation>(aún no hay ejecuciones)</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/explorer.py" line="64" />
        <source>(metadata DB unavailable)</source>
        <translation>(base de metadatos no disponible)</translation>
    </message>
</context>
<context>
    <name>PropertiesPanel</name>
    <message>
        <location filename="../../app/ui/properties/panel.py" line="49" />
        <source>Select a node to edit its properties.</source>
        <translation>Seleccione un nodo para editar sus propiedades.</translation>
    </message>
    <message>
        <location filename="../../app/ui/properties/panel.py" line="87" />
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
</context>
<context>
    <name>RecordsEditor</name>
    <message>
        <location filename="../../app/ui/properties/editors.py" line="312" />
        <source>Add</source>
        <translation>Añadir</translation>
    </message>
    <message>
        <location filename="../../app/ui/properties/editors.py" line="313" />
        <source>Remove</source>
        <translation>Quitar</translation>
    </message>
</context>
<context>
    <name>RunConsole</name>
    <message>
        <location filename="../../app/ui/panels/console.py" line="38" />
        <source>Node</source>
        <translation>Nodo</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/console.py" line="38" />
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/console.py" line="38" />
        <source>Rows</source>
        <translation>Filas</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/console.py" line="38" />
        <source>Seconds</source>
        <translation>Segundos</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/console.py" line="58" />
        <source>pending</source>
        <translation>pendiente</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/console.py" line="59" />
        <source>Run of {0} started</source>
        <translation>Empezó la ejecución de {0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/console.py" line="80" />
        <source>{0}: running ({1})</source>
        <translation>{0}: en ejecución ({1})</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/console.py" line="87" />
        <source>{0}: succeeded</source>
        <translation>{0}: correcto</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/console.py" line="93" />
        <source>Run of {0} {1} in {2:.2f} s</source>
        <translation>Ejecución de {0}: {1} en {2:.2f} s</translation>
    </message>
</context>
<context>
    <name>RunController</name>
    <message>
        <location filename="../../app/ui/controllers.py" line="112" />
        <source>read</source>
        <translation>leídas</translation>
    </message>
    <message>
        <location filename="../../app/ui/controllers.py" line="112" />
        <source>written</source>
        <translation>escritas</translation>
    </message>
</context>
<context>
    <name>SchemaPanel</name>
    <message>
        <location filename="../../app/ui/panels/schema.py" line="17" />
        <source>Column</source>
        <translation>Columna</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/schema.py" line="17" />
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/schema.py" line="37" />
        <source>Input: {0}</source>
        <translation>Entrada: {0}</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/schema.py" line="42" />
        <source>Output: {0}</source>
        <translation>Salida: {0}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/ui/dialogs/settings.py" line="70" />
        <source>Settings</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings.py" line="71" />
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings.py" line="72" />
        <source>&amp;Theme</source>
        <translation>&amp;Tema</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings.py" line="73" />
        <source>Follow system</source>
        <translation>Según el sistema</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings.py" line="73" />
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings.py" line="74" />
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
    <message>
        <location filename="../../app/ui/dialogs/settings.py" line="77" />
        <source>Changes apply at once to every open window.</source>
        <translation>Los cambios se aplican al momento en todas las ventanas abiertas.</translation>
    </message>
</context>
<context>
    <name>SqlView</name>
    <message>
        <location filename="../../app/ui/panels/sql_view.py" line="27" />
        <source>Dialect</source>
        <translation>Dialecto</translation>
    </message>
    <message>
        <location filename="../../app/ui/panels/sql_view.py" line="42" />
        <source>-- select one node to see its SQL</source>
        <translation>-- seleccione un nodo para ver su SQL</translation>
    </message>
</context>
</TS>