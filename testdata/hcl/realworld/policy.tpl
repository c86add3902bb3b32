{"Statement":[%{ for p in ports ~}{"Port":${p},"Name":"${name}"}%{ if p != ports[length(ports) - 1] },%{ endif }%{ endfor ~}]}
