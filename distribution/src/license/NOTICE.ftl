<#-- doc/NOTICE of the Confluent Hub archive: the project's notice, then each bundled library with its license(s).
     dependencyMap: entries of MavenProject -> license names (after licenseMerges). -->
outflow
Copyright 2026 The outflow authors

This product is licensed under the Apache License, Version 2.0 (see LICENSE).

It bundles the following third-party libraries in lib/, each under its own license as named below
(groupId:artifactId:version, name, license, project URL):

<#list dependencyMap as e>
<#assign project = e.getKey()/>
<#assign licenses = e.getValue()/>
${project.groupId}:${project.artifactId}:${project.version} - ${project.name!project.artifactId} - <#list licenses as license>${license}<#if license_has_next> OR </#if></#list><#if project.url??> - ${project.url}</#if>
</#list>
