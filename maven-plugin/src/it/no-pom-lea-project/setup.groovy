// `mvn lea:run` outside a project finds the plugin through the plugin-group metadata that
// `mvn install` or a release writes beside it; the invoker's install goal (on Maven 3.8) does not.
def metadata = new File(localRepositoryPath, 'dev/lea/maven-metadata-local.xml')
if (!metadata.exists()) {
  metadata.text = '''<?xml version="1.0" encoding="UTF-8"?>
<metadata>
  <plugins>
    <plugin>
      <name>lea-maven-plugin</name>
      <prefix>lea</prefix>
      <artifactId>lea-maven-plugin</artifactId>
    </plugin>
  </plugins>
</metadata>
'''
}
true
